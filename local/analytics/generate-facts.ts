import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalyticsFact } from '@smart-image-pipeline/contracts';

/** Generated facts for tests and the bench: seeded, so a run can be replayed. Not used by the pipeline. */
export const GENERATED_LABELS = ['Dog', 'Cat', 'Tree', 'Car', 'Person'];
export const GENERATED_REASONS = ['CorruptImageError', 'UnsupportedImageTypeError', 'ImageTooLargeError'];
export const GENERATED_FORMATS = ['jpeg', 'png', 'webp'] as const;
export const GENERATED_OWNERS = ['0b6c9f1e-2d4a-4c8e-9f3a-7e5d1c2b3a40', '7d1e0c4b-95a2-4f6e-8c3d-2b1a0f9e8d7c', 'unowned'];
export const GENERATED_VERSIONS = ['v1', 'v2'];

function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** `count` facts spread over `dates` (YYYY-MM-DD): about 65 % processed, 25 % failed, 10 % flagged. */
export function generateFacts(count: number, dates: string[], seed: number): Array<{ dt: string; fact: AnalyticsFact }> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  // The fields added later (version, step times) draw from a second stream, so the older fields keep their values.
  const later = random(seed + 0x5eed);
  const between = (low: number, high: number) => low + Math.floor(later() * (high - low));
  // Videos (timed transcode and video analysis, issue 15) from a third stream: about 5 % of the processed facts.
  const videos = random(seed + 0x71de0);
  const videoBetween = (low: number, high: number) => low + Math.floor(videos() * (high - low));
  return Array.from({ length: count }, (_, index) => {
    const dt = pick(dates);
    // The run took 0.5 to 30.5 s: the event is at 10:00 UTC, the upload arrived that long before.
    const runMs = 500 + Math.floor(next() * 30_000);
    const base = {
      schemaVersion: 1 as const,
      eventId: `e-${seed}-${index}`,
      occurredAt: `${dt}T10:00:00Z`,
      imageId: index.toString(16).padStart(32, '0'),
      revision: 'a'.repeat(16),
      owner: pick(GENERATED_OWNERS),
      receivedAt: new Date(Date.parse(`${dt}T10:00:00Z`) - runMs).toISOString(),
      pipelineVersion: GENERATED_VERSIONS[Math.floor(later() * GENERATED_VERSIONS.length)],
    };
    const resolveVersionMs = between(5, 80);
    const kind = next();
    const fact: AnalyticsFact =
      kind < 0.65
        ? {
            ...base,
            factType: 'processed',
            resolveVersionMs,
            resizeMs: between(80, 2_500),
            storeMs: between(15, 250),
            status: 'SUCCEEDED',
            format: pick(GENERATED_FORMATS),
            width: 1 + Math.floor(next() * 4000),
            height: 1 + Math.floor(next() * 3000),
            bytesIn: Math.floor(next() * 5_000_000),
            bytesOut: Math.floor(next() * 800_000),
            analysed: next() < 0.7,
            analyseMs: null,
            transcodeMs: null,
            videoAnalysisMs: null,
            rekognitionCalls: Math.floor(next() * 5),
            rekognitionSkipped: Math.floor(next() * 3),
            labels: [...new Set([pick(GENERATED_LABELS), pick(GENERATED_LABELS)])].map((name) => ({ name, confidence: 90 })),
            moderated: false,
            faceCount: 0,
          }
        : kind < 0.9
          ? {
              ...base,
              factType: 'failed',
              status: 'FAILED',
              failureReason: pick(GENERATED_REASONS),
              // The generated reasons are the resize step's refusals: the steps after it never ran.
              resolveVersionMs,
              resizeMs: null,
              analyseMs: null,
              transcodeMs: null,
              videoAnalysisMs: null,
              storeMs: null,
            }
          : { ...base, factType: 'flagged', moderationLabels: [{ name: 'Violence', confidence: 80, parentName: '' }] };
    if (fact.factType === 'processed' && fact.analysed) fact.analyseMs = between(250, 4_000);
    if (fact.factType === 'processed' && videos() < 0.05) {
      // A video: MediaConvert's submit-to-finish and Rekognition Video's start-to-done, no image analysis.
      Object.assign(fact, { format: 'mp4', analyseMs: null, transcodeMs: videoBetween(8_000, 90_000) });
      fact.videoAnalysisMs = fact.analysed ? videoBetween(20_000, 240_000) : null;
    }
    return { dt, fact };
  });
}

/** Writes facts where the local delivery stream would: <dataDir>/firehose/<stream>/dt=<day>/records.jsonl. */
export function writeFacts(
  dataDir: string,
  rows: Array<{ dt: string; fact: AnalyticsFact }>,
  stream = 'smart-image-pipeline-AnalyticsDeliveryStream',
): void {
  const byDay = new Map<string, string[]>();
  for (const { dt, fact } of rows) byDay.set(dt, [...(byDay.get(dt) ?? []), JSON.stringify(fact)]);
  for (const [dt, lines] of byDay) {
    const folder = join(dataDir, 'firehose', stream, `dt=${dt}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'records.jsonl'), `${lines.join('\n')}\n`, { flag: 'a' });
  }
}
