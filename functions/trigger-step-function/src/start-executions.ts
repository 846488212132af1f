import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ForeignBucketError, MalformedObjectKeyError, StartExecutionFailedError } from './errors';
// Execution ARNs follow from the state machine ARN and the name, so a duplicate still reports one.
import { decodeObjectKey, executionArnFor, identify, ownerFromKey } from '@smart-image-pipeline/contracts';
import type { ExecutionInput, FailedRecord, ObjectCreatedRecord, SkipReason, TriggerSummary } from './types';

/** The logging calls the core needs; Powertools' Logger fits. */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** What the start-execution core works with, passed in so tests can replace it. */
export interface StartExecutionsDeps {
  readonly sfn: Pick<SFNClient, 'send'>;
  readonly stateMachineArn: string;
  readonly uploadsPrefix: string;
  /** Records of any other bucket are refused: only the stack's uploads bucket may start the pipeline. */
  readonly uploadsBucketName: string;
  readonly logger: Log;
}

type Planned =
  | { kind: 'skip'; reason: SkipReason; bucket: string; key: string }
  | { kind: 'failed'; record: FailedRecord }
  | { kind: 'start'; name: string; input: ExecutionInput };

/** Returns why a decoded key is not processed, or null when it is. */
export function skipReasonFor(key: string, size: number, uploadsPrefix: string): SkipReason | null {
  // The console's "Create folder" writes an empty object whose key ends in "/".
  if (key.endsWith('/') && size === 0) return 'folder-marker';
  if (!key.startsWith(uploadsPrefix)) return 'outside-prefix';
  return null;
}

/**
 * Builds the state machine input for one record; it depends only on the record, so a redelivery sends identical
 * input. The owner is the Cognito sub the key names (`uploads/<sub>/…`), else `unowned`.
 */
export function executionInputFor(
  record: ObjectCreatedRecord,
  key: string,
  uploadsPrefix: string,
): { name: string; input: ExecutionInput } {
  const id = identify({ bucket: record.bucket, key, versionId: record.versionId, sequencer: record.sequencer });
  const input: ExecutionInput = {
    imageId: id.imageId,
    revision: id.revision,
    owner: ownerFromKey(key, uploadsPrefix),
    source: {
      bucket: record.bucket,
      key,
      versionId: record.versionId,
      size: record.size,
      eTag: record.eTag,
      sequencer: record.sequencer,
      sourceOrder: id.sourceOrder,
    },
    receivedAt: record.eventTime,
  };
  return { name: id.executionName, input };
}

function plan(record: ObjectCreatedRecord, deps: Pick<StartExecutionsDeps, 'uploadsPrefix' | 'uploadsBucketName'>): Planned {
  if (record.bucket !== deps.uploadsBucketName) {
    const error = new ForeignBucketError(record.bucket, deps.uploadsBucketName);
    return { kind: 'failed', record: { bucket: record.bucket, key: record.encodedKey, error: error.name, message: error.message } };
  }
  let key: string;
  try {
    key = decodeObjectKey(record.encodedKey);
  } catch (error) {
    if (!(error instanceof MalformedObjectKeyError)) throw error;
    return { kind: 'failed', record: { bucket: record.bucket, key: record.encodedKey, error: error.name, message: error.message } };
  }
  const reason = skipReasonFor(key, record.size, deps.uploadsPrefix);
  if (reason !== null) return { kind: 'skip', reason, bucket: record.bucket, key };
  return { kind: 'start', ...executionInputFor(record, key, deps.uploadsPrefix) };
}

/**
 * Starts one execution per processable record, named so that a redelivered record is a duplicate.
 * @throws StartExecutionFailedError after trying every record, when any StartExecution failed for a reason other than ExecutionAlreadyExists.
 */
export async function startExecutions(
  event: { readonly records: readonly ObjectCreatedRecord[]; readonly ignored: number },
  deps: StartExecutionsDeps,
): Promise<TriggerSummary> {
  // Records that are not ObjectCreated (the parser's "ignored") count as skipped.
  const summary: TriggerSummary = { started: 0, duplicates: 0, skipped: event.ignored, executions: [] };
  const failed: FailedRecord[] = [];
  const retryable: { key: string; error: unknown }[] = [];
  const seen = new Set<string>();
  for (const record of event.records) {
    const planned = plan(record, deps);
    if (planned.kind === 'skip') {
      summary.skipped += 1;
      deps.logger.info('Skipped object', { bucket: planned.bucket, key: planned.key, reason: planned.reason });
      continue;
    }
    if (planned.kind === 'failed') {
      failed.push(planned.record);
      deps.logger.error('Record cannot be processed', { ...planned.record });
      continue;
    }
    const { name, input } = planned;
    const logKeys = { imageId: input.imageId, bucket: input.source.bucket, key: input.source.key };
    const ref = { imageId: input.imageId, revision: input.revision, executionName: name };
    // The same record twice in one event: StartExecution would answer 200 for a running execution
    // with identical input, so count it here instead of asking again.
    if (seen.has(name)) {
      summary.duplicates += 1;
      deps.logger.info('Duplicate record in event', { ...logKeys, executionName: name });
      continue;
    }
    seen.add(name);
    try {
      const response = await deps.sfn.send(
        new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name, input: JSON.stringify(input) }),
      );
      const executionArn = response.executionArn ?? executionArnFor(deps.stateMachineArn, name);
      summary.started += 1;
      summary.executions.push({ ...ref, executionArn, duplicate: false });
      deps.logger.info('Started execution', { ...logKeys, executionArn });
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
        const executionArn = executionArnFor(deps.stateMachineArn, name);
        summary.duplicates += 1;
        summary.executions.push({ ...ref, executionArn, duplicate: true });
        deps.logger.info('Execution already exists', { ...logKeys, executionArn });
        continue;
      }
      retryable.push({ key: input.source.key, error });
      deps.logger.error('StartExecution failed', { ...logKeys, error: error instanceof Error ? error.name : String(error) });
    }
  }
  if (failed.length > 0) summary.failed = failed;
  if (retryable.length > 0) {
    throw new StartExecutionFailedError(
      retryable.map((entry) => entry.key),
      retryable[0]?.error,
    );
  }
  return summary;
}
