import { GetObjectCommand } from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { countReprocessResults, type ReprocessCounts } from '@smart-image-pipeline/contracts';
import type { LocalStack } from '../stack';

/** What `npm run reprocess` asks the reprocess state machine for. */
export interface ReprocessRequest {
  version: string;
  where: string;
  maxConcurrency?: number;
}

/** One reprocess run, summarised from its output and the Map Run's result files. */
export interface ReprocessSummary extends ReprocessCounts {
  executionArn: string;
  status: string;
  version: string;
  where: string;
  error?: { name: string; cause: string };
  seconds: number;
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
  const read = async (bucket: string, key: string) => {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await object.Body!.transformToString()) as unknown;
  };
  const counts = await countReprocessResults(described.output ? JSON.parse(described.output) : {}, read);
  return {
    executionArn: executionArn!,
    status: described.status ?? 'UNKNOWN',
    version: request.version,
    where: request.where,
    ...counts,
    ...(described.error ? { error: { name: described.error, cause: described.cause ?? '' } } : {}),
    seconds: (Date.now() - started) / 1000,
  };
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
