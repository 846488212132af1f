/** What one reprocess run did, from its execution's output and its Map Run's result files (docs/reprocessing.md). */
export interface ReprocessCounts {
  /** Images in the manifest (the selection minus those whose success the version already made). */
  selected: number;
  alreadyCurrent: number;
  reprocessed: number;
  /** Of the reprocessed images, those whose stored variants served (ResizeImage returned them without resizing). */
  reusedResize: number;
  /** Of the reprocessed images, those handed their stored analysis, made with the target's analysis settings (no Rekognition call). */
  reusedAnalysis: number;
  /** Images the children found gone, already current or claimed by another run of the version when they got to them. */
  skipped: number;
  failed: number;
  /** s3://bucket/key of the Map Run's results manifest (none when nothing was selected). */
  resultsManifest: string | null;
  /** False when not every result file was read before the reader's deadline: the counts are a lower bound then. */
  complete: boolean;
}

/** Reads one JSON object of the results bucket. */
export type ReadResultJson = (bucket: string, key: string) => Promise<unknown>;

/** How the result files are read: how many at once, and until when (a reader that must answer in seconds). */
export interface ReadResultOptions {
  /** Result files read at the same time (default 8). */
  readonly concurrency?: number;
  /** No file read starts after this moment (ms since the epoch); those left out make `complete` false. */
  readonly deadline?: number;
  /** The clock the deadline is checked against (default Date.now). */
  readonly now?: () => number;
}

type ResultFile = { Key: string };
type ResultManifest = { ResultFiles?: { SUCCEEDED?: ResultFile[]; FAILED?: ResultFile[] } };
type ResultEntry = { Output?: string };

/** Adds one SUCCEEDED file's children (their outputs) or one FAILED file's (each a failure) to the counts. */
function countFile(counts: ReprocessCounts, succeeded: boolean, entries: unknown): void {
  const list = Array.isArray(entries) ? (entries as ResultEntry[]) : [];
  if (!succeeded) {
    counts.failed += list.length;
    return;
  }
  for (const entry of list) {
    const result = JSON.parse(entry.Output ?? '{}') as { outcome?: string; reusedResize?: boolean; reusedAnalysis?: boolean };
    if (result.outcome === 'reprocessed') counts.reprocessed += 1;
    else counts.skipped += 1;
    if (result.reusedResize === true) counts.reusedResize += 1;
    if (result.reusedAnalysis === true) counts.reusedAnalysis += 1;
  }
}

/**
 * Counts what a finished reprocess run did: the selection from the execution output, then each child's outcome from
 * every ResultWriter file the results manifest lists (SUCCEEDED entries carry the child's output, FAILED entries count
 * as failed), as an operator reads them with the AWS CLI. The files are read `concurrency` at a time; none starts
 * after `deadline`, and then `complete` is false.
 */
export async function countReprocessResults(
  output: unknown,
  read: ReadResultJson,
  options: ReadResultOptions = {},
): Promise<ReprocessCounts> {
  const { concurrency = 8, deadline = Infinity, now = Date.now } = options;
  const run = (output ?? {}) as {
    selection?: { count?: number; alreadyCurrent?: number };
    results?: { ResultWriterDetails?: { Bucket: string; Key: string } };
  };
  const counts: ReprocessCounts = {
    selected: run.selection?.count ?? 0,
    alreadyCurrent: run.selection?.alreadyCurrent ?? 0,
    reprocessed: 0,
    reusedResize: 0,
    reusedAnalysis: 0,
    skipped: 0,
    failed: 0,
    resultsManifest: null,
    complete: true,
  };
  const details = run.results?.ResultWriterDetails;
  if (!details) return counts;
  counts.resultsManifest = `s3://${details.Bucket}/${details.Key}`;
  const manifest = (await read(details.Bucket, details.Key)) as ResultManifest;
  const files = [
    ...(manifest.ResultFiles?.SUCCEEDED ?? []).map((file) => ({ key: file.Key, succeeded: true })),
    ...(manifest.ResultFiles?.FAILED ?? []).map((file) => ({ key: file.Key, succeeded: false })),
  ];
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < files.length && now() < deadline) {
      const file = files[next++];
      countFile(counts, file.succeeded, await read(details.Bucket, file.key));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, reader));
  counts.complete = next === files.length;
  return counts;
}
