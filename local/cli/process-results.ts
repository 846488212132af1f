import { sectionItems, type AnalysisSummary, type SectionItem } from '@smart-image-pipeline/contracts';
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
  analysis?: { summary?: AnalysisSummary };
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
  if (!execution)
    return {
      ...base,
      error: { name: 'NoExecution', message: 'The upload started no execution (see the trigger log and the failure queue)' },
    };
  const input = JSON.parse(execution.input) as { imageId?: string };
  base.imageId = input.imageId ?? null;
  if (execution.status !== 'SUCCEEDED') {
    return { ...base, error: { name: execution.error ?? execution.status, message: causeMessage(execution.cause) } };
  }
  const state = JSON.parse(execution.output ?? '{}') as State;
  const analysis = state.analysis?.summary;
  const named = (id: string) => sectionItems(analysis, id).map(({ name, confidence }) => ({ name, confidence: confidence ?? 0 }));
  const image = state.resize?.image;
  return {
    ...base,
    status: 'SUCCEEDED',
    image: image ? { format: image.format, width: image.width, height: image.height, bytes: image.bytes } : null,
    variants: (state.resize?.variants ?? []).map(({ key, format, width, height, bytes }) => ({ key, format, width, height, bytes })),
    labels: named('labels'),
    moderation: named('moderation'),
    text: named('text').map(({ name, confidence }) => ({ text: name, confidence })),
    faces: await facesWithEmotions(stack, analysis),
  };
}

/** A face of the summary's faces section: its box without the confidence, and "24-32" read back as { low, high }. */
function faceOf(item: SectionItem) {
  const { confidence: _confidence, ...boundingBox } = item.boxes?.[0] ?? { left: 0, top: 0, width: 0, height: 0 };
  const age = /^(\d+)-(\d+)$/.exec(String(item.attributes?.ageRange ?? ''));
  const emotion = item.attributes?.emotion;
  return {
    confidence: item.confidence ?? 0,
    boundingBox,
    ageRange: age ? { low: Number(age[1]), high: Number(age[2]) } : null,
    gender: item.attributes?.gender ?? null,
    emotion: typeof emotion === 'string' ? emotion : undefined,
  };
}

async function facesWithEmotions(stack: LocalStack, analysis: AnalysisSummary | undefined): Promise<ProcessResult['faces']> {
  const faces = sectionItems(analysis, 'faces').map(faceOf);
  let raw: Array<{ Emotions?: Array<{ Type: string; Confidence: number }> }> = [];
  const rawKey = analysis?.rawKeys.DetectFaces;
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
    emotions: raw[i]?.Emotions?.map((e) => ({ type: e.Type, confidence: e.Confidence })) ?? (face.emotion ? [{ type: face.emotion }] : []),
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
  const labels = result.labels
    .slice(0, 5)
    .map((l) => l.name)
    .join(', ');
  return `${mark} ${result.file}  ${size}  ${result.variants.length} variants  faces ${result.faces.length}  labels: ${labels || '-'}  (${ms})  ${result.imageId}`;
}
