import { analysisFingerprint, storedAnalysisRef } from '@smart-image-pipeline/contracts';
import { analyseImage } from '../../functions/rekognition-labels/src/analyse-image';
import type { AnalysisConfig } from '../../functions/rekognition-labels/src/types';
import type { CostInputs, CostLine } from './model';
import { PRICES } from './prices';
import type { AnalysisUsage, AnalysisUsageByKind } from './usage';

/**
 * RekognitionLabels returning a stored analysis (one consistent GetItem and a schema check, no Rekognition call): a
 * stated estimate, not a measurement.
 */
export const STORED_ANALYSIS_MS = 15;

/** What one AnalyseImage run that reuses the stored analysis asked of Rekognition, S3 and the table. */
export interface StoredAnalysisUsage extends AnalysisUsage {
  /** Consistent GetItem reads of the image item (AnalyseImage re-reads it before reusing). */
  consistentItemReads: number;
}

/**
 * Runs the real RekognitionLabels core on a reprocess input whose stored analysis has the config's fingerprint, with
 * counting stand-ins for Rekognition, S3 and the table, and reports what it did (the reuse decision is the real one).
 * @throws Error when the core calls Rekognition anyway: the cost line would then be wrong.
 */
export async function measureStoredAnalysisUsage(config: AnalysisConfig): Promise<StoredAnalysisUsage> {
  const usage: StoredAnalysisUsage = {
    calls: [],
    imageProperties: false,
    rawJsonPuts: 0,
    bandQueries: 0,
    itemReads: 0,
    consistentItemReads: 0,
  };
  const item = {
    imageId: '0'.repeat(32),
    revision: '0'.repeat(16),
    status: 'SUCCEEDED',
    pipelineVersion: 'v1',
    analysis: { sections: {}, calls: ['DetectLabels'], skipped: {}, rawKeys: {}, settingsFingerprint: analysisFingerprint(config) },
  };
  const summary = await analyseImage(
    {
      imageId: item.imageId,
      revision: item.revision,
      image: { bucket: 'b', key: 'k.jpg', versionId: null },
      storedAnalysis: storedAnalysisRef(item),
    },
    {
      detect: async (detector) => {
        usage.calls.push(detector.name);
        return {};
      },
      putJson: async () => {
        usage.rawJsonPuts += 1;
      },
      getConfig: async () => config,
      storedImage: async () => {
        usage.consistentItemReads += 1;
        return item;
      },
    },
  );
  if (usage.calls.length > 0 || summary.reusedFromVersion !== 'v1') throw new Error('AnalyseImage did not reuse the stored analysis');
  return usage;
}

/**
 * The upload inputs changed for runs that reuse the stored analysis: no Rekognition call, raw JSON or near-duplicate
 * lookup for any kind of image, and RekognitionLabels billed for STORED_ANALYSIS_MS.
 */
export function withStoredAnalysis(inputs: CostInputs, usage: StoredAnalysisUsage): CostInputs {
  const none = { calls: usage.calls, imageProperties: usage.imageProperties, rawJsonPuts: usage.rawJsonPuts, bandQueries: 0, itemReads: 0 };
  const analysis: AnalysisUsageByKind = { plain: none, person: none, text: none, personAndText: none, reused: none };
  const lambdas = inputs.lambdas.map((fn) =>
    fn.logicalId === 'RekognitionLabelsFunction'
      ? { ...fn, durationMs: STORED_ANALYSIS_MS, source: 'stated estimate (stored analysis returned)' }
      : fn,
  );
  return { ...inputs, analysis, lambdas };
}

/** AnalyseImage's consistent read of the image item before it reuses the analysis: one RRU per started 4 KB. */
export function storedAnalysisReadLine(inputs: CostInputs, usage: StoredAnalysisUsage): CostLine {
  const itemKb4 = Math.ceil(Math.max(0, ...inputs.store.writes.map((w) => w.bytes)) / 4096);
  const rru = usage.consistentItemReads * itemKb4;
  return {
    service: 'DynamoDB',
    item: 'stored analysis read (AnalyseImage, consistent GetItem)',
    unitsPerImage: rru,
    usdPerThousand: rru * 1000 * PRICES.dynamodb.onDemandPerRru,
  };
}
