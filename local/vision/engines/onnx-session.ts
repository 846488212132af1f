import type { InferenceSession } from 'onnxruntime-node';

export type Ort = typeof import('onnxruntime-node');

/** onnxruntime-node, loaded on first use (only the worker processes run models). */
export function loadOrt(): Ort {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('onnxruntime-node') as Ort;
}

/**
 * Session settings for every model a vision worker runs on onnxruntime. The pool runs one worker per core; more
 * threads per worker would only contend. Without the arena and memory patterns, a large input's buffers are freed
 * after the run instead of being kept for the next one.
 */
export const WORKER_SESSION_OPTIONS: InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  enableCpuMemArena: false,
  enableMemPattern: false,
};
