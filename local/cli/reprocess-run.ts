import { GetObjectCommand } from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { LocalStack } from '../stack';

/** What `npm run reprocess` asks the reprocess state machine for. */
export interface ReprocessRequest {
  version: string;
  where: string;
  maxConcurrency?: number;
}

/** One reprocess run, summarised from its output and the Map Run's result files. */
export interface ReprocessSummary {
  executionArn: string;
  status: string;
  version: string;
  where: string;
  /** Images in the manifest (the selection minus those whose success the version already made). */
  selected: number;
  alreadyCurrent: number;
  reprocessed: number;
  /** Of the reprocessed images, those whose stored variants served (ResizeImage returned them without resizing). */
  reusedResize: number;
  /** Of the reprocessed images, those handed their stored analysis, made with the target's analysis settings (no Rekognition call). */
  reusedAnalysis: number;
  /** Images the children found gone or already current when they got to them. */
  skipped: number;
  failed: number;
  /** s3://bucket/key of the Map Run's results manifest (none when nothing was selected). */
  resultsManifest: string | null;
  error?: { name: string; cause: string };
  seconds: number;
}

type ResultEntry = { Output?: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Map Run's result files, read field by field below
async function readJson(s3: S3Client, bucket: string, key: string): Promise<any> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString());
}

/**
 * Starts the reprocess state machine, waits for it to end and counts what its children did from the ResultWriter
 * files, as an operator would read them with the AWS CLI.
 */
export async function runReprocess(
  clients: { sfn: SFNClient; s3: S3Client },
  stateMachineArn: string,
  request: ReprocessRequest,
  pollMs = 200,
): Promise<ReprocessSummary> {
  const started = Date.now();
  const name = `reprocess-${request.version}-${new Date(started)
    .toISOString()
    .replace(/[^0-9]/g, '')
    .slice(0, 14)}-${Math.random().toString(16).slice(2, 8)}`;
  const { executionArn } = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(request) }));
  let described;
  for (;;) {
    described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const output = described.output ? JSON.parse(described.output) : {};
  const summary: ReprocessSummary = {
    executionArn: executionArn!,
    status: described.status ?? 'UNKNOWN',
    version: request.version,
    where: request.where,
    selected: output.selection?.count ?? 0,
    alreadyCurrent: output.selection?.alreadyCurrent ?? 0,
    reprocessed: 0,
    reusedResize: 0,
    reusedAnalysis: 0,
    skipped: 0,
    failed: 0,
    resultsManifest: null,
    ...(described.error ? { error: { name: described.error, cause: described.cause ?? '' } } : {}),
    seconds: 0,
  };
  const details = output.results?.ResultWriterDetails as { Bucket: string; Key: string } | undefined;
  if (details) {
    summary.resultsManifest = `s3://${details.Bucket}/${details.Key}`;
    const manifest = await readJson(clients.s3, details.Bucket, details.Key);
    for (const file of manifest.ResultFiles?.SUCCEEDED ?? []) {
      for (const entry of (await readJson(clients.s3, details.Bucket, file.Key)) as ResultEntry[]) {
        const result = JSON.parse(entry.Output ?? '{}');
        if (result.outcome === 'reprocessed') summary.reprocessed += 1;
        else summary.skipped += 1;
        if (result.reusedResize === true) summary.reusedResize += 1;
        if (result.reusedAnalysis === true) summary.reusedAnalysis += 1;
      }
    }
    for (const file of manifest.ResultFiles?.FAILED ?? [])
      summary.failed += ((await readJson(clients.s3, details.Bucket, file.Key)) as unknown[]).length;
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/** SDK settings for a client of the local stack's edge (any credentials pass). */
export function edgeClientOptions(stack: LocalStack) {
  return { endpoint: stack.edgeUrl, region: stack.app.pseudo.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

/** The Step Functions and S3 clients a reprocess run needs, and the reprocess state machine's ARN. */
export function reprocessClients(stack: LocalStack): { sfn: SFNClient; s3: S3Client; stateMachineArn: string } {
  const machine = stack.app.stateMachines.find((m) => m.logicalId === 'ReprocessStateMachine');
  if (!machine) throw new Error('template.yaml has no ReprocessStateMachine');
  const options = edgeClientOptions(stack);
  return { sfn: new SFNClient(options), s3: new S3Client({ ...options, forcePathStyle: true }), stateMachineArn: machine.arn };
}
