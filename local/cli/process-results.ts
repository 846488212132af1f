import type { LocalStack } from '../stack';
import type { ExecutionRecord } from '../services/stepfunctions/types';

/** One processed file, with exactly the fields `npm run process -- --json` promises. */
export interface ProcessResult {
  file: string;
  key: string;
  imageId: string | null;
  status: 'SUCCEEDED' | 'FAILED';
  error: { name: string; message: string } | null;
  executionArn: string | null;
  image: { format: string; width: number; height: number; bytes: number } | null;
  variants: Array<{ key: string; format: string; width: number; height: number; bytes: number }>;
  labels: Array<{ name: string; confidence: number }>;
  faces: Array<{ confidence: number; boundingBox: unknown; ageRange: unknown; gender: unknown; emotions: unknown[] }>;
  moderation: Array<{ name: string; confidence: number }>;
  text: Array<{ text: string; confidence: number }>;
  durationMs: number;
}

type State = {
  imageId?: string;
  resize?: { image?: ProcessResult['image'] & Record<string, unknown>; variants?: ProcessResult['variants'] };
  analysis?: {
    labels?: Array<{ name: string; confidence: number }>;
    moderation?: Array<{ name: string; confidence: number }>;
    faces?: Array<{ confidence: number; boundingBox: unknown; ageRange: unknown; gender: unknown; emotion?: string; emotions?: unknown[] }>;
    text?: Array<{ text: string; confidence: number }>;
    rawKeys?: Record<string, string>;
  };
};

/** An upload whose execution is awaited. */
export interface PendingUpload {
  file: string;
  key: string;
  versionId?: string;
  startedAt: number;
}

/**
 * Builds a file's result from its execution: the final state for a success, the Fail state's error and the Lambda
 * error document's message for a failure, and Rekognition's raw DetectFaces response for the full emotion list.
 */
export async function resultFor(stack: LocalStack, upload: PendingUpload, execution: ExecutionRecord | undefined): Promise<ProcessResult> {
  const base: ProcessResult = {
    file: upload.file,
    key: upload.key,
    imageId: null,
    status: 'FAILED',
    error: null,
    executionArn: execution?.executionArn ?? null,
    image: null,
    variants: [],
    labels: [],
    faces: [],
    moderation: [],
    text: [],
    durationMs: Math.max(0, (execution?.stopDate ?? Date.now()) - upload.startedAt),
  };
  if (!execution) return { ...base, error: { name: 'NoExecution', message: 'The upload started no execution (see the trigger log and the failure queue)' } };
  const input = JSON.parse(execution.input) as { imageId?: string };
  base.imageId = input.imageId ?? null;
  if (execution.status !== 'SUCCEEDED') {
    return { ...base, error: { name: execution.error ?? execution.status, message: causeMessage(execution.cause) } };
  }
  const state = JSON.parse(execution.output ?? '{}') as State;
  const analysis = state.analysis ?? {};
  const image = state.resize?.image;
  return {
    ...base,
    status: 'SUCCEEDED',
    image: image ? { format: image.format, width: image.width, height: image.height, bytes: image.bytes } : null,
    variants: (state.resize?.variants ?? []).map(({ key, format, width, height, bytes }) => ({ key, format, width, height, bytes })),
    labels: (analysis.labels ?? []).map(({ name, confidence }) => ({ name, confidence })),
    moderation: (analysis.moderation ?? []).map(({ name, confidence }) => ({ name, confidence })),
    text: (analysis.text ?? []).map(({ text, confidence }) => ({ text, confidence })),
    faces: await facesWithEmotions(stack, analysis),
  };
}

async function facesWithEmotions(stack: LocalStack, analysis: NonNullable<State['analysis']>): Promise<ProcessResult['faces']> {
  const faces = analysis.faces ?? [];
  let raw: Array<{ Emotions?: Array<{ Type: string; Confidence: number }> }> = [];
  const rawKey = analysis.rawKeys?.DetectFaces;
  if (rawKey) {
    try {
      const body = await stack.services.s3.getObjectBytes(stack.resources.processedBucket, rawKey);
      raw = (JSON.parse(body.toString('utf8')) as { FaceDetails?: typeof raw }).FaceDetails ?? [];
    } catch {
      // The summary's single emotion is still there.
    }
  }
  return faces.map((face, i) => ({
    confidence: face.confidence,
    boundingBox: face.boundingBox,
    ageRange: face.ageRange,
    gender: face.gender,
    emotions: raw[i]?.Emotions?.map((e) => ({ type: e.Type, confidence: e.Confidence })) ?? face.emotions ?? (face.emotion ? [{ type: face.emotion }] : []),
  }));
}

/** The readable message inside a Cause: Lambda's `errorMessage` when the Cause is its error document. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}

/** One progress line for a result. */
export function progressLine(result: ProcessResult): string {
  const mark = result.status === 'SUCCEEDED' ? 'ok  ' : 'FAIL';
  const ms = `${result.durationMs} ms`;
  if (result.status !== 'SUCCEEDED') return `${mark} ${result.file}  ${result.error?.name}: ${result.error?.message}  (${ms})`;
  const size = result.image ? `${result.image.format} ${result.image.width}x${result.image.height}` : '';
  const labels = result.labels.slice(0, 5).map((l) => l.name).join(', ');
  return `${mark} ${result.file}  ${size}  ${result.variants.length} variants  faces ${result.faces.length}  labels: ${labels || '-'}  (${ms})  ${result.imageId}`;
}
