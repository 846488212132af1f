import type { AnalysisJob, ModelPaths } from './analyser';
import type { RekognitionErrorType } from './errors';

/** Parent -> worker messages. */
export type ToWorker = { type: 'init'; paths: ModelPaths; cacheDir: string } | { type: 'job'; id: number; job: AnalysisJob };

/** Worker -> parent messages. */
export type FromWorker =
  | { type: 'ready'; loadMs: number }
  | { type: 'init-failed'; message: string }
  | { type: 'result'; id: number; ok: true; body: string }
  | { type: 'result'; id: number; ok: false; errorType: RekognitionErrorType; message: string };
