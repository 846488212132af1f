import type { S3EventRecord } from 'aws-lambda';
import type { LocalS3Service } from '../services/s3/s3-service';
import type { ExecutionRecord } from '../services/stepfunctions/types';
import type { LocalApp } from '../template/types';

/** The identity of one upload revision: bucket, key and versionId (or the sequencer when the bucket is unversioned). */
export function revisionKey(bucket: string, key: string, versionOrSequencer: string): string {
  return `${bucket}\n${key}\n${versionOrSequencer}`;
}

/** The upload revisions some execution already covers, read from each execution's input (`source`, docs/contracts.md). */
export function coveredRevisions(executions: readonly ExecutionRecord[]): Set<string> {
  const covered = new Set<string>();
  for (const execution of executions) {
    try {
      const source = (
        JSON.parse(execution.input) as { source?: { bucket?: string; key?: string; versionId?: string | null; sequencer?: string } }
      ).source;
      if (!source?.bucket || !source.key) continue;
      const version = source.versionId && source.versionId !== 'null' ? source.versionId : source.sequencer;
      if (version) covered.add(revisionKey(source.bucket, source.key, version));
    } catch {
      // An input that is not the pipeline's covers nothing.
    }
  }
  return covered;
}

/**
 * Finds every stored object under an S3 event filter of the template whose current revision no execution covers
 * (a crash between the upload and StartExecution, or an event that went to the failure queue) and rebuilds its
 * ObjectCreated record, so delivering it again loses nothing. Revisions with an execution are left to that execution.
 */
export function uncoveredUploads(app: LocalApp, s3: LocalS3Service, executions: readonly ExecutionRecord[]): S3EventRecord[] {
  const covered = coveredRevisions(executions);
  const records: S3EventRecord[] = [];
  const seen = new Set<string>();
  for (const fn of app.functions) {
    for (const event of fn.s3Events) {
      // Only notifications of new objects start work that a crash can interrupt.
      if (!event.events.some((type) => type.startsWith('s3:ObjectCreated'))) continue;
      for (const object of s3.listObjects(event.bucketName, { prefix: event.prefix })) {
        if (!object.key.endsWith(event.suffix) || object.key.endsWith('/')) continue;
        const id = revisionKey(object.bucket, object.key, object.versionId ?? object.sequencer);
        if (covered.has(id) || seen.has(id)) continue;
        seen.add(id);
        records.push(s3.objectCreatedRecord(object.bucket, object.key, object.versionId));
      }
    }
  }
  return records;
}
