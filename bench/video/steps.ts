import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEdgeServer, type EdgeServer } from '../../local/edge/server';
import { createS3Service, type LocalS3Service } from '../../local/services/s3/s3-service';
import { runTsChild } from '../lib/child';
import { repoPath } from '../lib/paths';
import { quantile, round } from '../lib/stats';
import { templateFunctions } from '../lib/template';
import type { StepChildResult } from './step-child';

/**
 * One video step's real handler timed in a fresh process with the template's environment: the first invocation after
 * the module import (a cold start's first call, import excluded) and the warm ones after it. Times are the handler's
 * alone: its S3 calls go over HTTP to the local S3 in the bench process, whose work is not counted (S3's, on AWS).
 */
export interface VideoStepTiming {
  /** The function's MemorySize in template.yaml (Lambda gives CPU in proportion to it; here the step has the machine's cores). */
  memoryMb: number;
  importMs: number;
  invocations: number;
  first: { wallMs: number; cpuMs: number };
  /** Over the invocations after the first. */
  warm: { wallMsMedian: number; wallMsMin: number; cpuMsMedian: number; cpuMsMin: number };
}

/** The local S3 the step handlers talk to, on its own edge endpoint with a throw-away data folder. */
export interface BenchS3 {
  url: string;
  service: LocalS3Service;
  close(): Promise<void>;
}

export async function startBenchS3(): Promise<BenchS3> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-bench-video-s3-'));
  const service = await createS3Service({ dataDir });
  let edge: EdgeServer;
  try {
    edge = await startEdgeServer({ port: 0, services: [service], faults: {} });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: edge.url,
    service,
    close: async () => {
      await edge.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Invokes a template function's handler `invocations` times with `payload` in a fresh process (step-child.ts) and
 * returns its timing and last output.
 * @throws ChildRunError when the handler fails; Error when the template has no such function.
 */
export async function timeVideoStep(
  logicalId: string,
  payload: unknown,
  options: { invocations: number; s3Url: string },
): Promise<{ timing: VideoStepTiming; output: unknown }> {
  const fn = templateFunctions().find((candidate) => candidate.logicalId === logicalId);
  if (!fn) throw new Error(`template.yaml has no ${logicalId}`);
  const handlerModule = repoPath(fn.codeUri, fn.build.entryPoints[0]);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sip-bench-video-step-'));
  try {
    const payloadFile = path.join(dir, 'payload.json');
    await writeFile(payloadFile, JSON.stringify(payload));
    const result = await runTsChild<StepChildResult>(
      repoPath('bench', 'video', 'step-child.ts'),
      [handlerModule, payloadFile, String(options.invocations)],
      600_000,
      {
        ...fn.environment,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: options.s3Url,
        AWS_LAMBDA_FUNCTION_NAME: logicalId,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        // No X-Ray daemon here, as in local mode.
        POWERTOOLS_TRACE_ENABLED: 'false',
      },
    );
    const [first, ...warm] = result.runs;
    const wall = warm.map((run) => run.wallMs);
    const cpu = warm.map((run) => run.cpuMs);
    return {
      timing: {
        memoryMb: fn.memoryMb,
        importMs: round(result.importMs, 1),
        invocations: result.runs.length,
        first: { wallMs: round(first.wallMs, 1), cpuMs: round(first.cpuMs, 1) },
        warm: {
          wallMsMedian: round(quantile(wall, 0.5), 1),
          wallMsMin: round(Math.min(...wall), 1),
          cpuMsMedian: round(quantile(cpu, 0.5), 1),
          cpuMsMin: round(Math.min(...cpu), 1),
        },
      },
      output: result.output,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
