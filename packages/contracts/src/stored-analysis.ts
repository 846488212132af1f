import { createHash } from 'node:crypto';
// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { ANALYSIS_PIPELINE_VERSION, type AnalysisConfig } from './analysis-config';
import { canonicalJson } from './canonical-json';
import { PIPELINE_VERSION_PATTERN } from './ids';
import { isObject } from './is-object';
import { storedPipelineVersion } from './pipeline-version';
import { analysisSummarySchema, type AnalysisSummary } from './schemas/analysis';

/**
 * Reprocessing skips Rekognition for an image whose stored analysis was made with the same analysis settings as the
 * target version's (docs/reprocessing.md "What a reprocess reuses"). The decision lives here, next to `reusableResize`:
 * the reprocessor hands over a reference (version + fingerprint), ResolveVersion keeps it only when the fingerprint is
 * the target version's, and AnalyseImage re-reads the image item and returns its analysis instead of calling Rekognition.
 */

/** Config keys that change neither what AnalyseImage produces nor which calls it makes: only how long it caches the config. */
const KEYS_WITHOUT_EFFECT_ON_ANALYSIS: ReadonlySet<string> = new Set(['cacheSeconds']);

/**
 * SHA-256 (hex) of every analysis setting that changes what AnalyseImage produces or calls: detectors and their
 * switches, thresholds (quarantineMinConfidence too, so a changed quarantine threshold is a changed analysis and the
 * moderation decision is derived again), trigger lists, near-duplicate reuse and people grouping, and
 * ANALYSIS_PIPELINE_VERSION (bumped when the code changes a result for the same settings). Only cacheSeconds is left out.
 */
export function analysisFingerprint(config: AnalysisConfig): string {
  const settings = Object.fromEntries(Object.entries(config).filter(([key]) => !KEYS_WITHOUT_EFFECT_ON_ANALYSIS.has(key)));
  return createHash('sha256')
    .update(canonicalJson({ code: ANALYSIS_PIPELINE_VERSION, settings }))
    .digest('hex');
}

/** What a reprocess run carries about the image's stored analysis: the version that stored it and its fingerprint. */
export const storedAnalysisRefSchema = z.object({
  pipelineVersion: z.string().regex(PIPELINE_VERSION_PATTERN),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
});

export type StoredAnalysisRef = z.output<typeof storedAnalysisRefSchema>;

/** The stored analysis of an image item that a run may reuse, and the version whose run called Rekognition for it. */
export interface ReusableAnalysis {
  summary: AnalysisSummary;
  pipelineVersion: string;
}

/**
 * The reference to hand over with a reprocess run, when the stored image item holds a successful image analysis with a
 * fingerprint (analyses stored before fingerprints existed have none and are analysed again); else undefined.
 */
export function storedAnalysisRef(item: unknown): StoredAnalysisRef | undefined {
  if (!isObject(item) || item.status !== 'SUCCEEDED' || item.mediaType === 'video' || !isObject(item.analysis)) return undefined;
  const parsed = storedAnalysisRefSchema.safeParse({
    pipelineVersion: storedPipelineVersion(item),
    fingerprint: item.analysis.settingsFingerprint,
  });
  return parsed.success ? parsed.data : undefined;
}

/**
 * ResolveVersion's half: the reference when its analysis was made with exactly the target version's analysis settings
 * (`targetFingerprint` = `analysisFingerprint` of them), else null.
 */
export function reusableAnalysisRef(candidate: unknown, targetFingerprint: string): StoredAnalysisRef | null {
  const parsed = storedAnalysisRefSchema.safeParse(candidate);
  return parsed.success && parsed.data.fingerprint === targetFingerprint ? parsed.data : null;
}

/**
 * AnalyseImage's half, on the image item it just read: its analysis when the item is still this revision's success
 * and the analysis was made with `target`'s settings (the fingerprint is checked again, since the item or the config
 * may have changed since the reprocessor looked); else null, and the image is analysed as usual.
 */
export function reusableAnalysis(item: unknown, revision: string, target: AnalysisConfig): ReusableAnalysis | null {
  const ref = storedAnalysisRef(item);
  if (!ref || !isObject(item) || item.revision !== revision || ref.fingerprint !== analysisFingerprint(target)) return null;
  const parsed = analysisSummarySchema.safeParse(item.analysis);
  return parsed.success ? { summary: parsed.data, pipelineVersion: ref.pipelineVersion } : null;
}

/**
 * The summary a run returns when it reuses a stored analysis: the same sections and raw responses (same revision, so
 * they are this image's own), no calls made, and `reusedFromVersion` naming the version whose run called Rekognition
 * (kept through later reuses). The quarantine verdict is left to the caller, which derives it with the target's threshold.
 */
export function reusedAnalysisSummary({ summary, pipelineVersion }: ReusableAnalysis): AnalysisSummary {
  const { quarantine: _quarantine, ...kept } = summary;
  return { ...kept, calls: [], skipped: {}, reusedFromVersion: summary.reusedFromVersion ?? pipelineVersion };
}
