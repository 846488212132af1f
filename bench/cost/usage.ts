import { readFileSync } from 'node:fs';
import { analyseImage } from '../../functions/rekognition-labels/src/analyse-image';
import { parseAnalysisConfig } from '../../functions/rekognition-labels/src/analysis-config';
import type { AnalysisConfig, AnalysisSummary } from '../../functions/rekognition-labels/src/types';
import { loadConfig } from '../../functions/resize-image/src/config';
import { storeImage } from '../../functions/store-metadata/src/image-store';
import { parseStoreRequest } from '../../functions/store-metadata/src/parse-input';
import { repoPath } from '../lib/paths';
import { functionEnvironment, templateConfigParameter } from '../lib/template';

/** What RekognitionLabelsFunction did for one kind of image, as its own summary reports it. */
export interface AnalysisUsage {
  calls: string[];
  imageProperties: boolean;
  rawJsonPuts: number;
  /** Near-duplicate lookups: GSI1 hash-band queries and image-item reads. */
  bandQueries: number;
  itemReads: number;
}

/** Analysis usage for each mix of trigger labels an image can have, and for a near-duplicate of an analysed image. */
export interface AnalysisUsageByKind {
  plain: AnalysisUsage;
  person: AnalysisUsage;
  text: AnalysisUsage;
  personAndText: AnalysisUsage;
  /** An upload whose near-duplicate (same owner, same settings) was analysed before. */
  reused: AnalysisUsage;
}

/** DynamoDB requests StoreMetadataFunction makes for one successful image. */
export interface StoreUsage {
  /** Each write's item size (JSON bytes, close to DynamoDB's size rule) and whether it lands in GSI1 too. */
  writes: Array<{ bytes: number; indexed: boolean }>;
  consistentReads: number;
  queries: number;
}

/** S3 requests of the resize step. */
export interface ResizeUsage {
  gets: number;
  variantPuts: number;
}

/** The config the stack deploys (template.yaml's SSM parameter), parsed by the function's own parser. */
export function deployedAnalysisConfig(): AnalysisConfig {
  return parseAnalysisConfig(templateConfigParameter(), 'template.yaml');
}

/** A dHash with varied rows (informative), and one a single bit away from it. */
const HASH = '8f3c5a1e9b7d2c64';
const NEAR_HASH = '8f3c5a1e9b7d2c65';

/**
 * Runs the real RekognitionLabels core with a fake Rekognition that answers with (or without) a face-trigger and a
 * text-trigger label, and a fake table, and reads which calls it made from its own summary (`calls`) and requests.
 * The table holds nothing for the four kinds; for `reused` it holds an image analysed with the same config.
 */
export async function measureAnalysisUsage(config: AnalysisConfig = deployedAnalysisConfig()): Promise<AnalysisUsageByKind> {
  const run = async (person: boolean, text: boolean, analysed?: AnalysisSummary): Promise<AnalysisUsage & { summary: AnalysisSummary }> => {
    let imageProperties = false;
    let rawJsonPuts = 0;
    let bandQueries = 0;
    let itemReads = 0;
    const labels = [
      { Name: 'Outdoors', Confidence: 90, Parents: [] },
      ...(person ? [{ Name: config.faceTriggerLabels[0], Confidence: 99, Parents: [] }] : []),
      ...(text ? [{ Name: config.textTriggerLabels[0], Confidence: 99, Parents: [] }] : []),
    ];
    const earlier = {
      imageId: 'a'.repeat(32),
      revision: '0'.repeat(16),
      status: 'SUCCEEDED',
      perceptualHash: NEAR_HASH,
      analysis: analysed,
    };
    const summary = await analyseImage(
      {
        imageId: '0'.repeat(32),
        revision: '0'.repeat(16),
        image: { bucket: 'b', key: 'k.jpg', versionId: null, width: 1000, height: 800, bytes: 1000 },
        perceptualHash: HASH,
      },
      {
        detect: async (detector, request: { Features?: string[] }) => {
          if (detector.name !== 'DetectLabels') return {};
          imageProperties = (request.Features ?? []).includes('IMAGE_PROPERTIES');
          return { Labels: labels };
        },
        putJson: async () => {
          rawJsonPuts += 1;
        },
        // Face grouping is measured on its own (cost/people.ts): this run has no face collection.
        getConfig: async () => ({ ...config, groupFacesIntoPeople: false }),
        nearDuplicates: {
          bandMembers: async () => {
            bandQueries += 1;
            return analysed ? [earlier] : [];
          },
          image: async () => {
            itemReads += 1;
            return earlier;
          },
        },
      },
    );
    return { calls: summary.calls, imageProperties, rawJsonPuts, bandQueries, itemReads, summary };
  };
  const strip = ({ summary: _summary, ...usage }: AnalysisUsage & { summary: AnalysisSummary }): AnalysisUsage => usage;
  const personAndText = await run(true, true);
  return {
    plain: strip(await run(false, false)),
    person: strip(await run(true, false)),
    text: strip(await run(false, true)),
    personAndText: strip(personAndText),
    reused: strip(await run(true, true, personAndText.summary)),
  };
}

/** Runs the real StoreMetadata core on the canonical success event against a counting DynamoDB stand-in. */
export async function measureStoreUsage(): Promise<StoreUsage> {
  const event = JSON.parse(readFileSync(repoPath('events', 'store-metadata', 'success.json'), 'utf8')) as unknown;
  const request = parseStoreRequest(event);
  if (request.action === 'recordFailure') throw new Error('events/store-metadata/success.json is not a success event');
  const usage: StoreUsage = { writes: [], consistentReads: 0, queries: 0 };
  const db = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const kind = command.constructor.name;
      if (kind === 'GetCommand') usage.consistentReads += 1;
      else if (kind === 'QueryCommand') usage.queries += 1;
      else if (kind === 'PutCommand') {
        const item = command.input.Item as Record<string, unknown>;
        usage.writes.push({ bytes: Buffer.byteLength(JSON.stringify(item)), indexed: 'GSI1PK' in item });
      }
      return kind === 'QueryCommand' ? { Items: [] } : {};
    },
  };
  await storeImage(request.input, {
    db: db as never,
    tableName: 'bench',
    now: () => new Date('2026-11-25T12:00:00Z'),
    logger: { info: () => undefined },
  });
  return usage;
}

/** S3 requests of the resize step for an image at least as large as the largest variant. */
export function resizeUsage(): ResizeUsage {
  const settings = loadConfig(functionEnvironment('ResizeImageFunction'));
  return { gets: 1, variantPuts: settings.variantWidths.length * 2 };
}
