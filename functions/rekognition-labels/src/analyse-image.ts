import type { DetectLabelsResponse, Image } from '@aws-sdk/client-rekognition';
import {
  analysisFingerprint,
  analysisSettingsKey,
  quarantineVerdict,
  rawResponseKey,
  reusableAnalysis,
  reusedAnalysisSummary,
  SECTION_IDS,
  type AnalysisConfig,
  type AnalysisSection,
  type AnalysisSummary,
} from '@smart-image-pipeline/contracts';
import { DETECTORS, LABELS_DETECTOR, type AnyDetector } from './detectors';
import { imagePropertiesSection } from './detectors/detect-labels';
import { findReusableAnalysis, type NearDuplicateStore, type ReusableAnalysis } from './near-duplicate';
import { addPeopleSection, groupsFaces, type PeopleDeps } from './people/people-section';
import { classifyRekognitionError } from './rekognition-errors';
import type { AnalyseImageInput, AnalysisImage } from './types';

/** What the core needs from the outside world; the handler passes SDK-backed versions, tests pass fakes. */
export interface AnalyseImageDeps {
  /** Sends one detector's request to Rekognition and returns its response. */
  detect(detector: AnyDetector, request: object): Promise<object>;
  /** Writes `body` as JSON (application/json) to the processed bucket. */
  putJson(key: string, body: unknown): Promise<void>;
  /** The analysis settings of a pipeline version (absent = the config's current one). */
  getConfig(pipelineVersion?: string): Promise<AnalysisConfig>;
  /** The table's hash bands and image items, to reuse a near-duplicate's analysis; without it every image is analysed. */
  nearDuplicates?: NearDuplicateStore;
  /** The image item as stored (read consistently), for a reprocess run's stored analysis; without it every image is analysed. */
  storedImage?(imageId: string): Promise<unknown>;
  /** The face collection and face records, for `groupFacesIntoPeople`; without it that switch fails the analysis. */
  people?: PeopleDeps;
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
 * Whether a detector starts at once, together with DetectLabels: it always runs, or its config switch says
 * "always" (no need to wait for labels that cannot change the answer).
 */
function startsAtOnce(detector: AnyDetector, config: AnalysisConfig): boolean {
  return detector.runs.kind === 'always' || config[detector.runs.configSwitch] === 'always';
}

/**
 * Runs the registry's detectors on the image: those that run `always` (or are switched to "always") together, then,
 * once DetectLabels has answered, the optional ones its labels and the config call for. Writes each raw response to
 * S3 and returns the summary: every detector's sections, the calls in a fixed order, why optional calls were skipped,
 * and the raw keys. Without `rekognitionImageProperties`, the colours and quality ResizeImage measured fill the
 * imageProperties section.
 * @throws InvalidAnalysisImageError when Rekognition refuses the image; InvalidConfigError from the
 * config; Rekognition's ThrottlingException, ProvisionedThroughputExceededException, InternalServerError
 * and ServiceUnavailableException unchanged, for the state machine to retry.
 */
export async function analyseImage(
  input: AnalyseImageInput,
  deps: AnalyseImageDeps,
  detectors: readonly AnyDetector[] = DETECTORS,
): Promise<AnalysisSummary> {
  const config = await deps.getConfig(input.pipelineVersion);
  const stored =
    input.storedAnalysis && deps.storedImage ? reusableAnalysis(await deps.storedImage(input.imageId), input.revision, config) : null;
  if (stored) {
    deps.log?.('stored analysis reused', { reusedFromVersion: stored.summary.reusedFromVersion ?? stored.pipelineVersion });
    return withQuarantineVerdict(reusedAnalysisSummary(stored), config);
  }
  const settings = analysisSettingsKey(config);
  const settingsFingerprint = analysisFingerprint(config);
  const image = toRekognitionImage(input.image);
  // A retry after the people step failed (the owner's people lock was busy) finds its Detect results here.
  const checkpointed = config.groupFacesIntoPeople ? await deps.people?.checkpoint.get(input.imageId, input.revision) : undefined;
  if (checkpointed?.settingsFingerprint === settingsFingerprint) {
    deps.log?.('Detect results of an earlier attempt reused; only the people step runs', { calls: checkpointed.calls });
    return withQuarantineVerdict(await withPeopleStep(checkpointed, input, config, deps.people), config);
  }
  const reusable = deps.nearDuplicates ? await findReusableAnalysis(input, config, deps.nearDuplicates) : undefined;
  if (reusable) {
    deps.log?.('analysis reused from a near-duplicate', { reusedFrom: reusable.imageId, distance: reusable.distance });
    const summary = { ...reusedSummary(input, config, settings, reusable), settingsFingerprint };
    await addPeopleSection(summary, input, image, config, deps.people);
    return withQuarantineVerdict(summary, config);
  }
  const calls: string[] = [];
  const responses = new Map<AnyDetector, object>();
  const skipped: Record<string, string> = {};
  // Recorded when the call starts, so the order is fixed: the calls started at once, then the decided ones, each in registry order.
  const run = async (detector: AnyDetector): Promise<object> => {
    calls.push(detector.name);
    const response = await deps.detect(detector, detector.request(image, config)).catch((error: unknown) => {
      throw classifyRekognitionError(error);
    });
    responses.set(detector, response);
    return response;
  };
  const runOptional = async (labelsResponse: DetectLabelsResponse): Promise<void> => {
    const decided = detectors.flatMap((detector) =>
      detector.runs.kind === 'afterLabels' && !startsAtOnce(detector, config)
        ? [{ detector, decision: detector.runs.decide(labelsResponse.Labels ?? [], config) }]
        : [],
    );
    deps.log?.(
      'optional Rekognition calls decided',
      Object.fromEntries(decided.map(({ detector, decision }) => [detector.name, decision])),
    );
    await Promise.all(
      decided.map(({ detector, decision }) => {
        if (decision.run) return run(detector);
        skipped[detector.name] = decision.reason;
        return undefined;
      }),
    );
  };
  // Promise.all observes every promise, so a failure in one never leaves another unhandled.
  await Promise.all(
    detectors
      .filter((detector) => startsAtOnce(detector, config))
      .map((detector) => (detector === LABELS_DETECTOR ? run(detector).then(runOptional) : run(detector))),
  );

  const rawKeys: Record<string, string> = {};
  const sections: Record<string, AnalysisSection> = {};
  for (const detector of detectors) {
    const response = responses.get(detector);
    if (response === undefined) continue;
    rawKeys[detector.name] = rawResponseKey(input.imageId, input.revision, detector.rawFile);
    Object.assign(sections, detector.summarise(response, config));
  }
  withMeasuredProperties(sections, input, config);
  // Before the people step, so a retry that reuses these results finds the files they name.
  await Promise.all(
    Object.keys(rawKeys).map((name) => {
      const detector = detectors.find((candidate) => candidate.name === name)!;
      return deps.putJson(rawKeys[name], withoutMetadata(responses.get(detector)!));
    }),
  );
  const summary: AnalysisSummary = { sections, calls, skipped, rawKeys, settings, settingsFingerprint };
  if (!groupsFaces(sections, config) || !deps.people) {
    await addPeopleSection(summary, input, image, config, deps.people);
    return withQuarantineVerdict(summary, config);
  }
  await deps.people.checkpoint.put(input.imageId, input.revision, summary);
  return withQuarantineVerdict(await withPeopleStep(summary, input, config, deps.people), config);
}

/**
 * The people step on Detect results that are in the checkpoint: groups the faces (IndexFaces' response is not kept:
 * it is face vectors' ids, in the table already), then drops the checkpoint. A failure (PeopleLockBusyError) leaves
 * it for the retry.
 */
async function withPeopleStep(
  summary: AnalysisSummary,
  input: AnalyseImageInput,
  config: AnalysisConfig,
  people: PeopleDeps | undefined,
): Promise<AnalysisSummary> {
  await addPeopleSection(summary, input, toRekognitionImage(input.image), config, people);
  await people?.checkpoint.remove(input.imageId, input.revision);
  return summary;
}

/** Marks the summary for quarantine when a moderation label reaches the config's quarantineMinConfidence. */
function withQuarantineVerdict(summary: AnalysisSummary, config: AnalysisConfig): AnalysisSummary {
  const quarantine = quarantineVerdict(summary, config.quarantineMinConfidence);
  return quarantine ? { ...summary, quarantine } : summary;
}

/** Without Rekognition's Image Properties, the colours and quality ResizeImage measured with sharp take their place. */
function withMeasuredProperties(sections: Record<string, AnalysisSection>, input: AnalyseImageInput, config: AnalysisConfig): void {
  if (!config.rekognitionImageProperties && input.imageProperties)
    sections[SECTION_IDS.imageProperties] = imagePropertiesSection(input.imageProperties, 'ResizeImage');
}

/**
 * The near-duplicate's sections with no Rekognition call: `calls` and `rawKeys` stay empty (the raw responses belong
 * to the other image), `reusedFrom` names it. This image's own measured colours and quality replace the copied ones.
 */
function reusedSummary(input: AnalyseImageInput, config: AnalysisConfig, settings: string, reusable: ReusableAnalysis): AnalysisSummary {
  const sections = { ...reusable.summary.sections };
  withMeasuredProperties(sections, input, config);
  return {
    sections,
    calls: [],
    skipped: {},
    rawKeys: {},
    settings,
    reusedFrom: { imageId: reusable.imageId, revision: reusable.revision, distance: reusable.distance },
  };
}
