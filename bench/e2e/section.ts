import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalStack } from '../../local/stack';
import type { HistoryEvent } from '../../local/services/stepfunctions/types';
import { repoPath } from '../lib/paths';
import { quantile, round } from '../lib/stats';

/** Real photos from tests/fixtures/images, cycled to make the batch (each copy has its own key, so its own image). */
export const E2E_PHOTOS = [
  'ai-face.jpg',
  'ai-body.jpg',
  'group-1.jpg',
  'background.jpg',
  'cgi-multiangle-1.jpg',
  'flowers.jpeg',
  'Portrait_6.jpg',
  'Landscape_5.jpg',
];

/** Time spent in each Lambda task of one execution, read from its history (TaskStarted -> TaskSucceeded). */
export interface TaskSpan {
  state: string;
  functionName: string;
  ms: number;
}

export interface E2eResult {
  photos: number;
  succeeded: number;
  failed: number;
  /** Runs that ended SUCCEEDED, their last state having published Image Processed. */
  published: number;
  visionReadyMs: number;
  batchWallMs: number;
  imagesPerMinute: number;
  latencyMs: { p50: number; p95: number; max: number };
  executionWallMsTotal: number;
  /** Time executions waited for a slot under the local concurrency bound (not counted as overhead). */
  queuedMsTotal: number;
  /** Upload start to StartExecution (S3 event, trigger function): outside the overhead figure, shown on its own. */
  uploadToExecutionStartMs: { p50: number; p95: number };
  handlerBusyMsTotal: number;
  /** (execution wall time - handler busy time) / handler busy time, over all executions. */
  overhead: number;
  handlerBusyMsMedian: Record<string, number>;
  rekognitionCalls: Record<string, number>;
  busyTimeSource: string;
}

/**
 * Lambda task spans of one execution: a lambda:invoke Task's TaskStarted to its TaskSucceeded (or the
 * LambdaFunction* pair for bare ARNs). This is the local runtime's invoke, so it includes the sandbox hand-off.
 */
export function lambdaSpans(history: HistoryEvent[]): TaskSpan[] {
  const spans: TaskSpan[] = [];
  let state = '';
  let started: { at: number; fn: string } | undefined;
  for (const event of history) {
    const details = event as unknown as Record<string, Record<string, unknown> | undefined>;
    if (event.type.endsWith('StateEntered')) state = String(details.stateEnteredEventDetails?.name ?? '');
    if (event.type === 'TaskScheduled' && details.taskScheduledEventDetails?.resourceType === 'lambda') {
      const parameters = JSON.parse(String(details.taskScheduledEventDetails?.parameters ?? '{}')) as { FunctionName?: string };
      started = { at: event.timestamp, fn: String(parameters.FunctionName ?? '') };
    }
    if (event.type === 'LambdaFunctionScheduled')
      started = { at: event.timestamp, fn: String(details.lambdaFunctionScheduledEventDetails?.resource ?? '') };
    if (event.type === 'TaskStarted' || event.type === 'LambdaFunctionStarted') {
      if (started) started.at = event.timestamp;
    }
    if ((event.type === 'TaskSucceeded' || event.type === 'LambdaFunctionSucceeded') && started) {
      spans.push({ state, functionName: started.fn, ms: event.timestamp - started.at });
      started = undefined;
    }
    if (event.type === 'TaskSucceeded' && !started) continue;
  }
  return spans;
}

/**
 * Starts local mode in a temp data dir, uploads `count` photos at once through the edge's S3 API, waits until every
 * run is done, and reads latencies (upload -> the run's end, after Image Processed is published) and busy times from the
 * execution histories.
 */
export async function runE2eBench(count: number, log: (line: string) => void): Promise<E2eResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-bench-e2e-'));
  const stack = await startLocalStack({ dataDir, edgePort: 0, recover: false, logSink: () => undefined });
  try {
    const readyStart = performance.now();
    await stack.services.rekognition?.ready();
    const visionReadyMs = performance.now() - readyStart;
    const s3 = new S3Client({
      endpoint: stack.edgeUrl,
      region: stack.app.pseudo.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const bodies = await Promise.all(E2E_PHOTOS.map((name) => readFile(repoPath('tests', 'fixtures', 'images', name))));
    const uploads = Array.from({ length: count }, (_, i) => ({
      key: `uploads/bench/${String(i).padStart(3, '0')}-${E2E_PHOTOS[i % E2E_PHOTOS.length]}`,
      body: bodies[i % bodies.length],
    }));
    const uploadedAt = new Map<string, number>();
    const batchStart = Date.now();
    log(`  e2e: uploading ${count} photos at once to ${stack.edgeUrl}`);
    await Promise.all(
      uploads.map(async ({ key, body }) => {
        uploadedAt.set(key, Date.now());
        await s3.send(new PutObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: key, Body: body, ContentType: 'image/jpeg' }));
      }),
    );
    await stack.waitForIdle();
    s3.destroy();

    const executions = stack.services.stepfunctions.allExecutions().filter((e) => e.startDate >= batchStart);
    // "Done" is the run's end: its last state publishes Image Processed, which the notification rule delivers (the
    // notifier then rate-limits per user, so outbox messages are no longer one per image).
    const publishedAt = new Map<string, number>();
    for (const execution of executions) {
      const sourceKey = (JSON.parse(execution.input) as { source?: { key?: string } }).source?.key;
      const succeeded = execution.history.find((e) => e.type === 'ExecutionSucceeded')?.timestamp;
      if (sourceKey && uploadedAt.has(sourceKey) && succeeded !== undefined) publishedAt.set(sourceKey, succeeded);
    }

    const latencies = [...publishedAt].map(([key, at]) => at - (uploadedAt.get(key) ?? at));
    const lastPublished = Math.max(...publishedAt.values());
    const busyByFunction = new Map<string, number[]>();
    const rekognitionCalls: Record<string, number> = {};
    let wallTotal = 0;
    let busyTotal = 0;
    let queuedTotal = 0;
    const uploadToStart: number[] = [];
    for (const execution of executions) {
      const sourceKey = (JSON.parse(execution.input) as { source?: { key?: string } }).source?.key;
      if (sourceKey && uploadedAt.has(sourceKey)) uploadToStart.push(execution.startDate - (uploadedAt.get(sourceKey) ?? 0));
      const started = execution.history.find((e) => e.type === 'ExecutionStarted')?.timestamp;
      const ended = execution.history.find((e) => e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed')?.timestamp;
      if (started === undefined || ended === undefined) continue;
      // The run's own wall time: from the engine starting it (after any wait for a concurrency slot) to its end.
      wallTotal += ended - started;
      queuedTotal += started - execution.startDate;
      for (const span of lambdaSpans(execution.history)) {
        busyTotal += span.ms;
        const fn = stack.app.functions.find(
          (f) => span.functionName === f.arn || span.functionName === f.name || span.functionName.includes(f.name),
        );
        const id = fn?.logicalId ?? span.functionName;
        busyByFunction.set(id, [...(busyByFunction.get(id) ?? []), span.ms]);
      }
      const output = JSON.parse(execution.output ?? '{}') as { analysis?: { summary?: { calls?: string[] } } };
      for (const call of output.analysis?.summary?.calls ?? []) rekognitionCalls[call] = (rekognitionCalls[call] ?? 0) + 1;
    }
    const batchWallMs = lastPublished - batchStart;
    return {
      photos: count,
      succeeded: executions.filter((e) => e.status === 'SUCCEEDED').length,
      failed: executions.filter((e) => e.status !== 'SUCCEEDED').length,
      published: publishedAt.size,
      visionReadyMs: round(visionReadyMs, 0),
      batchWallMs,
      imagesPerMinute: round((publishedAt.size / batchWallMs) * 60_000, 1),
      latencyMs: { p50: round(quantile(latencies, 0.5), 0), p95: round(quantile(latencies, 0.95), 0), max: Math.max(...latencies) },
      executionWallMsTotal: wallTotal,
      queuedMsTotal: queuedTotal,
      uploadToExecutionStartMs: { p50: round(quantile(uploadToStart, 0.5), 0), p95: round(quantile(uploadToStart, 0.95), 0) },
      handlerBusyMsTotal: busyTotal,
      overhead: round((wallTotal - busyTotal) / busyTotal, 4),
      handlerBusyMsMedian: Object.fromEntries([...busyByFunction].map(([id, values]) => [id, round(quantile(values, 0.5), 1)])),
      rekognitionCalls,
      busyTimeSource:
        'execution history: TaskStarted -> TaskSucceeded of each lambda:invoke Task (the local runtime invoke, sandbox hand-off included)',
    };
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
