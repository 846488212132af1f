import { readFileSync } from 'node:fs';
import type { AslDefinition } from '../../local/services/stepfunctions/asl-walker';
import { repoPath } from '../lib/paths';
import { templateFunctions } from '../lib/template';
import { walkExecution } from './asl-transitions';
import { happyPathFacts } from './gather';
import { computeCost, type CostInputs, type CostLine, type CostReport } from './model';
import { PRICES } from './prices';
import { storedAnalysisReadLine, withStoredAnalysis, type StoredAnalysisUsage } from './reprocess-analysis-skip';

/**
 * ReprocessFunction's `prepare` (one consistent GetItem, and the VERSION# items once per container) and `select`
 * (paged index queries and BatchGetItem, per image), and ResizeImage handing back a stored result (input validation
 * only, no S3): stated estimates, not measurements.
 */
export const REPROCESS_DURATIONS_MS = { prepare: 25, selectPerImage: 0.5, storedResize: 5 };

/** The states one Distributed Map child enters for an image it reprocesses, walked from statemachine/reprocess.asl.json. */
export function childTransitions(): string[] {
  const asl = JSON.parse(readFileSync(repoPath('statemachine', 'reprocess.asl.json'), 'utf8')) as AslDefinition;
  const map = asl.States.ReprocessImages as unknown as { ItemProcessor: AslDefinition };
  const { ProcessorConfig: _config, ...processor } = map.ItemProcessor as AslDefinition & { ProcessorConfig?: unknown };
  return walkExecution(processor as AslDefinition, { '$.action': 'run' });
}

/**
 * The states a pipeline run started by the reprocessor enters: the same with or without a stored resize result
 * (ResizeImage then returns it without reading S3; no Choice state decides it).
 */
export function pipelineTransitions(): string[] {
  const asl = JSON.parse(readFileSync(repoPath('statemachine', 'image-pipeline.asl.json'), 'utf8')) as AslDefinition;
  return walkExecution(asl, happyPathFacts());
}

/** What a reprocess run reuses: nothing, the stored resize (variants unchanged), or that and the stored analysis. */
export type ReprocessReuse = 'none' | 'resize' | 'resizeAndAnalysis';

/**
 * The cost of reprocessing `inputs.images` images with a new version (one month's volume, tiers from zero), per 1,000:
 * each image is one Distributed Map child (1 transition to start it, plus its own states), one pipeline run, and the
 * manifest's reads. `resize` reuses the stored resize (variants unchanged: ResizeImage returns it in a few ms, no S3
 * reads of the original or variant writes) and analyses again (the version's analysis settings differ);
 * `resizeAndAnalysis` also reuses the stored analysis (analysis settings unchanged: no Rekognition call, see
 * reprocess-analysis-skip.ts; `storedAnalysis` is that module's measured usage). The transitions are the same in every
 * case. Images already at the target version are left out by SelectImages and cost only its reads.
 */
export function reprocessCost(
  upload: CostInputs,
  reuse: ReprocessReuse,
  storedAnalysis?: StoredAnalysisUsage,
): CostReport & { transitions: number } {
  const skipUnchanged = reuse !== 'none';
  if (reuse === 'resizeAndAnalysis' && !storedAnalysis) throw new Error('reprocessCost: resizeAndAnalysis needs the stored-analysis usage');
  if (reuse === 'resizeAndAnalysis' && storedAnalysis) upload = withStoredAnalysis(upload, storedAnalysis);
  const lambdaOf = (id: string) => upload.lambdas.find((fn) => fn.logicalId === id);
  const pipelineIds = ['ResolveVersionFunction', 'ResizeImageFunction', 'RekognitionLabelsFunction', 'StoreMetadataFunction'];
  const storedResize = (fn: CostInputs['lambdas'][number]) =>
    skipUnchanged && fn.logicalId === 'ResizeImageFunction'
      ? { ...fn, durationMs: REPROCESS_DURATIONS_MS.storedResize, source: 'stated estimate (stored result returned)' }
      : fn;
  const lambdas = [
    ...pipelineIds
      .map((id) => lambdaOf(id))
      .filter((fn): fn is CostInputs['lambdas'][number] => fn !== undefined)
      .map(storedResize),
    ...templateFunctions()
      .filter((fn) => fn.logicalId === 'ReprocessFunction')
      .map((fn) => ({
        logicalId: fn.logicalId,
        memoryMb: fn.memoryMb,
        durationMs: REPROCESS_DURATIONS_MS.prepare + REPROCESS_DURATIONS_MS.selectPerImage,
        source: 'stated estimate',
      })),
  ];
  const transitions = 1 + childTransitions().length + pipelineTransitions().length;
  const report = computeCost({
    ...upload,
    lambdas,
    transitions,
    duplicateShare: 0,
    analysisCopyShare: skipUnchanged ? 0 : upload.analysisCopyShare,
    emailShare: 0,
    resize: skipUnchanged ? { gets: 0, variantPuts: 0 } : upload.resize,
  });
  // The image item read three times: BatchGetItem in SelectImages (eventually consistent), GetItem in PrepareImage and
  // StoreMetadata's own (consistent, already in the store line); one RRU per started 4 KB.
  const itemKb4 = Math.ceil(Math.max(0, ...upload.store.writes.map((w) => w.bytes)) / 4096);
  const selectionRru = 0.5 * itemKb4 + itemKb4;
  const extra: CostLine = {
    service: 'DynamoDB',
    item: 'reprocess selection and preparation reads',
    unitsPerImage: selectionRru,
    usdPerThousand: selectionRru * 1000 * PRICES.dynamodb.onDemandPerRru,
  };
  // No upload PUT happens on a reprocess: the model's S3 PUT line counts one per image.
  const lines = report.lines.map((line) =>
    line.service === 'S3' && line.item.startsWith('PUT')
      ? { ...line, unitsPerImage: line.unitsPerImage - 1, usdPerThousand: line.usdPerThousand - 1000 * PRICES.s3.putPerRequest }
      : line,
  );
  lines.push(extra);
  if (reuse === 'resizeAndAnalysis' && storedAnalysis) lines.push(storedAnalysisReadLine(upload, storedAnalysis));
  return { lines, usdPerThousand: lines.reduce((sum, line) => sum + line.usdPerThousand, 0), transitions };
}
