/** What one reprocess run did, from its execution's output and its Map Run's result files (docs/reprocessing.md). */
export interface ReprocessCounts {
  /** Images in the manifest (the selection minus those whose success the version already made). */
  selected: number;
  alreadyCurrent: number;
  reprocessed: number;
  /** Of the reprocessed images, those whose stored variants served (ResizeImage returned them without resizing). */
  reusedResize: number;
  /** Images the children found gone or already current when they got to them. */
  skipped: number;
  failed: number;
  /** s3://bucket/key of the Map Run's results manifest (none when nothing was selected). */
  resultsManifest: string | null;
  /** False when the result files were more than the reader was allowed to read: the counts are a lower bound then. */
  complete: boolean;
}

/** Reads one JSON object of the results bucket. */
export type ReadResultJson = (bucket: string, key: string) => Promise<unknown>;

type ResultFile = { Key: string };
type ResultManifest = { ResultFiles?: { SUCCEEDED?: ResultFile[]; FAILED?: ResultFile[] } };
type ResultEntry = { Output?: string };

/**
 * Counts what a finished reprocess run did: the selection from the execution output, then each child's outcome from
 * the ResultWriter files (SUCCEEDED entries carry the child's output, FAILED entries count as failed), as an operator
 * reads them with the AWS CLI. At most `maxFiles` result files are read (an API answer must stay quick).
 */
export async function countReprocessResults(output: unknown, read: ReadResultJson, maxFiles = Infinity): Promise<ReprocessCounts> {
  const run = (output ?? {}) as {
    selection?: { count?: number; alreadyCurrent?: number };
    results?: { ResultWriterDetails?: { Bucket: string; Key: string } };
  };
  const counts: ReprocessCounts = {
    selected: run.selection?.count ?? 0,
    alreadyCurrent: run.selection?.alreadyCurrent ?? 0,
    reprocessed: 0,
    reusedResize: 0,
    skipped: 0,
    failed: 0,
    resultsManifest: null,
    complete: true,
  };
  const details = run.results?.ResultWriterDetails;
  if (!details) return counts;
  counts.resultsManifest = `s3://${details.Bucket}/${details.Key}`;
  const manifest = (await read(details.Bucket, details.Key)) as ResultManifest;
  const succeeded = manifest.ResultFiles?.SUCCEEDED ?? [];
  const failed = manifest.ResultFiles?.FAILED ?? [];
  let budget = maxFiles;
  for (const file of succeeded) {
    if (budget-- <= 0) break;
    for (const entry of (await read(details.Bucket, file.Key)) as ResultEntry[]) {
      const result = JSON.parse(entry.Output ?? '{}') as { outcome?: string; reusedResize?: boolean };
      if (result.outcome === 'reprocessed') counts.reprocessed += 1;
      else counts.skipped += 1;
      if (result.reusedResize === true) counts.reusedResize += 1;
    }
  }
  for (const file of failed) {
    if (budget-- <= 0) break;
    counts.failed += ((await read(details.Bucket, file.Key)) as unknown[]).length;
  }
  counts.complete = budget >= 0;
  return counts;
}
