import type {
  DetectFacesRequest,
  DetectFacesResponse,
  DetectLabelsRequest,
  DetectLabelsResponse,
  DetectModerationLabelsRequest,
  DetectModerationLabelsResponse,
  DetectTextRequest,
  DetectTextResponse,
  Image,
} from '@aws-sdk/client-rekognition';
import { labelRequestMinConfidence, planOptionalCalls } from './plan-calls';
import { rawResponseKey } from './raw-keys';
import { classifyRekognitionError } from './rekognition-errors';
import { summariseFaces, summariseImageProperties, summariseLabels, summariseModeration, summariseText } from './summarise';
import type { AnalyseImageInput, AnalysisConfig, AnalysisImage, AnalysisSummary, RekognitionCall } from './types';

/** What the core needs from the outside world; the handler passes SDK-backed versions, tests pass fakes. */
export interface AnalyseImageDeps {
  detectLabels(request: DetectLabelsRequest): Promise<DetectLabelsResponse>;
  detectModerationLabels(request: DetectModerationLabelsRequest): Promise<DetectModerationLabelsResponse>;
  detectFaces(request: DetectFacesRequest): Promise<DetectFacesResponse>;
  detectText(request: DetectTextRequest): Promise<DetectTextResponse>;
  /** Writes `body` as JSON (application/json) to the processed bucket. */
  putJson(key: string, body: unknown): Promise<void>;
  getConfig(): Promise<AnalysisConfig>;
  log?(message: string, fields: Record<string, unknown>): void;
}

/** Rekognition reads the object from S3 itself, so no bytes pass through the function. */
export function toRekognitionImage(image: AnalysisImage): Image {
  return { S3Object: { Bucket: image.bucket, Name: image.key, ...(image.versionId ? { Version: image.versionId } : {}) } };
}

/** The SDK adds `$metadata` (request id, attempts) to every output; it is not part of the response. */
function withoutMetadata(response: object): object {
  const { $metadata: _metadata, ...body } = response as { $metadata?: unknown };
  return body;
}

/**
 * Runs DetectLabels and DetectModerationLabels concurrently, then DetectFaces / DetectText only when
 * the labels (or the config) call for them, writes each raw response to S3, and returns the summary.
 * @throws InvalidAnalysisImageError when Rekognition refuses the image; InvalidConfigError from the
 * config; Rekognition's ThrottlingException, ProvisionedThroughputExceededException, InternalServerError
 * and ServiceUnavailableException unchanged, for the state machine to retry.
 */
export async function analyseImage(input: AnalyseImageInput, deps: AnalyseImageDeps): Promise<AnalysisSummary> {
  const config = await deps.getConfig();
  const Image = toRekognitionImage(input.image);
  const calls: RekognitionCall[] = [];
  // Recorded when the call starts, so the order is fixed: the two base calls, then faces, then text.
  const call = <T>(name: RekognitionCall, run: () => Promise<T>): Promise<T> => {
    calls.push(name);
    return run().catch((error: unknown) => {
      throw classifyRekognitionError(error);
    });
  };

  const labelsThenOptional = call('DetectLabels', () =>
    deps.detectLabels({
      Image,
      Features: ['GENERAL_LABELS', 'IMAGE_PROPERTIES'],
      MinConfidence: labelRequestMinConfidence(config),
      MaxLabels: config.maxLabels,
    }),
  ).then(async (labels) => {
    const plan = planOptionalCalls(labels.Labels ?? [], config);
    deps.log?.('optional Rekognition calls decided', { detectFaces: plan.faces, detectText: plan.text });
    const [faces, text] = await Promise.all([
      plan.faces.run ? call('DetectFaces', () => deps.detectFaces({ Image, Attributes: ['ALL'] })) : undefined,
      plan.text.run ? call('DetectText', () => deps.detectText({ Image })) : undefined,
    ]);
    return { labels, faces, text, plan };
  });
  const moderation = call('DetectModerationLabels', () =>
    deps.detectModerationLabels({ Image, MinConfidence: config.minModerationConfidence }),
  );
  // Promise.all observes both promises, so a failure in one never leaves the other unhandled.
  const [{ labels, faces, text, plan }, moderationResponse] = await Promise.all([labelsThenOptional, moderation]);

  const responses: Record<RekognitionCall, object | undefined> = {
    DetectLabels: labels,
    DetectModerationLabels: moderationResponse,
    DetectFaces: faces,
    DetectText: text,
  };
  const rawKeys: AnalysisSummary['rawKeys'] = {};
  await Promise.all(
    calls.map((name) => {
      const key = rawResponseKey(input.imageId, input.revision, name);
      rawKeys[name] = key;
      return deps.putJson(key, withoutMetadata(responses[name] ?? {}));
    }),
  );

  const skipped: AnalysisSummary['skipped'] = {};
  if (!plan.faces.run) skipped.DetectFaces = plan.faces.reason;
  if (!plan.text.run) skipped.DetectText = plan.text.reason;
  return {
    labels: summariseLabels(labels, config.minLabelConfidence),
    moderation: summariseModeration(moderationResponse),
    faces: faces ? summariseFaces(faces) : [],
    text: text ? summariseText(text) : [],
    imageProperties: summariseImageProperties(labels),
    calls,
    skipped,
    rawKeys,
  };
}
