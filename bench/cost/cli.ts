import { computeCost, type CostReport } from './model';
import { reprocessCost } from './reprocess';
import { PEOPLE_MIX, PEOPLE_PRICES } from './people';
import { PRICES } from './prices';
import { videoCostLines } from './video';
import { gatherCostInputs, transitionsPerRun } from './gather';
import { DOCUMENTED_MIX, type CostMix } from './mix';
import { deployedAnalysisConfig } from './usage';
import type { AnalysisConfig } from '../../functions/rekognition-labels/src/types';

/** The cost target of issue 6 (dollars per 1,000 images with the default switches). */
export const COST_TARGET_USD_PER_THOUSAND = 1.5;

/** Reads `--name value` flags into numbers, defaulting to the documented mix. */
export function parseCostArgs(argv: readonly string[]): CostMix {
  const value = (name: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const parsed = Number(argv[at + 1]);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} needs a non-negative number, got "${argv[at + 1]}"`);
    return parsed;
  };
  const share = (name: string, fallback: number): number => {
    const parsed = value(name, fallback);
    if (parsed > 1) throw new Error(`--${name} is a share from 0 to 1, got ${parsed}`);
    return parsed;
  };
  return {
    images: value('images', DOCUMENTED_MIX.images),
    facesShare: share('faces-share', DOCUMENTED_MIX.facesShare),
    textShare: share('text-share', DOCUMENTED_MIX.textShare),
    analysisCopyShare: share('analysis-copy-share', DOCUMENTED_MIX.analysisCopyShare),
    notifiedShare: share('notified-share', DOCUMENTED_MIX.notifiedShare),
    emailShare: share('email-share', DOCUMENTED_MIX.emailShare),
    smsShare: share('sms-share', DOCUMENTED_MIX.smsShare),
    duplicateShare: share('duplicate-share', DOCUMENTED_MIX.duplicateShare),
  };
}

/** One switch away from the defaults: the analysis-config key and the value priced. */
export const SWITCHES: ReadonlyArray<{ key: keyof AnalysisConfig; value: unknown }> = [
  { key: 'rekognitionImageProperties', value: true },
  { key: 'detectModeration', value: 'always' },
  { key: 'detectModeration', value: 'never' },
  { key: 'detectFaces', value: 'always' },
  { key: 'detectFaces', value: 'never' },
  { key: 'detectText', value: 'always' },
  { key: 'detectText', value: 'never' },
  { key: 'reuseNearDuplicates', value: false },
  { key: 'groupFacesIntoPeople', value: true },
];

/** The price per 1,000 with each switch turned, everything else at the defaults and the same mix. */
export async function switchPrices(
  options: CostMix,
  config: AnalysisConfig = deployedAnalysisConfig(),
): Promise<Array<{ setting: string; usdPerThousand: number }>> {
  const rows = [];
  for (const { key, value } of SWITCHES) {
    const inputs = await gatherCostInputs(options, { ...config, [key]: value });
    rows.push({ setting: `${key}: ${JSON.stringify(value)}`, usdPerThousand: computeCost(inputs).usdPerThousand });
  }
  return rows;
}

const money = (usd: number) => `$${usd.toFixed(4)}`;

/** "$1.00 per 1,000 up to 1M, …" for a tier ladder. */
function tiers(ladder: ReadonlyArray<{ upTo: number; usd: number }>): string {
  let floor = 0;
  return ladder
    .map((tier) => {
      const range = tier.upTo === Infinity ? `over ${floor / 1e6}M` : `${floor / 1e6}-${tier.upTo / 1e6}M`;
      floor = tier.upTo;
      return `${range} $${(tier.usd * 1000).toFixed(4).replace(/0+$/, '').replace(/\.$/, '')}/1k`;
    })
    .join(', ');
}

/** Renders both designs side by side as a plain-text table. */
export function formatCostTable(ours: CostReport, naive: CostReport): string {
  const rows = ours.lines.map((line, i) => [
    line.service,
    line.item,
    line.unitsPerImage.toFixed(3),
    money(line.usdPerThousand),
    money(naive.lines[i].usdPerThousand),
  ]);
  rows.push(['TOTAL', 'per 1,000 images', '', money(ours.usdPerThousand), money(naive.usdPerThousand)]);
  const header = ['service', 'item', 'units/image', 'ours $/1k', 'naive $/1k'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Computes ours and the naive design for the flags; used by `npm run cost` and by the bench. */
export async function costReports(argv: readonly string[]) {
  const options = parseCostArgs(argv);
  const inputs = await gatherCostInputs(options);
  return { options, inputs, ours: computeCost(inputs), naive: computeCost({ ...inputs, naive: true }), transitions: transitionsPerRun() };
}

/** The price of reprocessing 1 M images with a new version, with and without the skip of unchanged steps. */
function reprocessLines(inputs: Awaited<ReturnType<typeof gatherCostInputs>>): string[] {
  const million = { ...inputs, images: 1e6 };
  const full = reprocessCost(million, false);
  const skip = reprocessCost(million, true);
  const row = (label: string, report: typeof full) =>
    `  ${label}: $${(report.usdPerThousand * 1000).toFixed(0)} per 1,000,000 images ($${report.usdPerThousand.toFixed(4)} per 1,000; ${report.transitions} transitions per image, Rekognition $${(report.lines.filter((l) => l.service === 'Rekognition').reduce((sum, l) => sum + l.usdPerThousand, 0) * 1000).toFixed(0)}, Lambda $${(report.lines.filter((l) => l.service === 'Lambda').reduce((sum, l) => sum + l.usdPerThousand, 0) * 1000).toFixed(0)}, Step Functions $${(report.lines.filter((l) => l.service === 'Step Functions').reduce((sum, l) => sum + l.usdPerThousand, 0) * 1000).toFixed(0)})`;
  return [
    'Reprocessing 1,000,000 images with a new version (statemachine/reprocess.asl.json: a Distributed Map child per image, 1 transition to start it, then the pipeline run; same mix, no near-duplicate reuse, tiers from zero):',
    row('every step again (new variants too)', full),
    row('stored variants reused (ResizeImage returns them, no S3)', skip),
    '  Images already at the target version are left out of the manifest and cost one BatchGetItem read each.',
    '',
  ];
}

async function main(): Promise<void> {
  const { options, inputs, ours, naive, transitions } = await costReports(process.argv.slice(2));
  const switches = await switchPrices(options);
  const settingWidth = Math.max(...switches.map((row) => row.setting.length));
  process.stdout.write(
    [
      `Cost per 1,000 images at ${options.images.toLocaleString('en-US')} images/month (${PRICES.region} list prices checked ${PRICES.checkedOn}; free tiers ignored)`,
      `Mix: faces-share ${options.facesShare}, text-share ${options.textShare}, duplicate-share ${options.duplicateShare}, analysis-copy-share ${options.analysisCopyShare}, notified-share ${options.notifiedShare}, email-share ${options.emailShare}, sms-share ${options.smsShare} (documented mix unless flags say otherwise; bench/README.md)`,
      `Step Functions: ${transitions.length} transitions per successful run (${transitions.join(' > ')}); notifications are rules on the bus, not states`,
      `Notifier: ${Math.round(inputs.notifier.durationMs)} ms at ${inputs.notifier.memoryMb} MB per message (${inputs.notifier.source}); SMS priced for ${PRICES.sms.country} numbers ($${PRICES.sms.perMessage.toFixed(5)} per message, carrier fee included)`,
      `Lambda durations: ${inputs.lambdas.map((l) => `${l.logicalId} ${Math.round(l.durationMs)} ms (${l.source})`).join('; ')}`,
      '',
      formatCostTable(ours, naive),
      '',
      `Target <= $${COST_TARGET_USD_PER_THOUSAND.toFixed(2)} per 1,000: ${ours.usdPerThousand <= COST_TARGET_USD_PER_THOUSAND ? 'met' : 'MISSED'} ($${ours.usdPerThousand.toFixed(3)}); the naive design (all four Detect calls and Image Properties on every image, no reuse) costs $${naive.usdPerThousand.toFixed(3)}.`,
      '',
      'Price per 1,000 with one analysis-config switch changed (PipelineConfig), same mix:',
      ...switches.map(
        (row) =>
          `  ${row.setting.padEnd(settingWidth)}  ${money(row.usdPerThousand)}  (${row.usdPerThousand >= ours.usdPerThousand ? '+' : '-'}${money(Math.abs(row.usdPerThousand - ours.usdPerThousand))})`,
      ),
      '',
      ...reprocessLines(inputs),
      `People (groupFacesIntoPeople, off by default): an image with a face holds ${PEOPLE_MIX.facesPerFaceImage} faces and each face matches ${PEOPLE_MIX.matchesPerFace} earlier faces (stated); IndexFaces once per image with a face, SearchFaces once per face, Group 1: ${tiers(PEOPLE_PRICES.group1PerImage)}; face metadata $${PEOPLE_PRICES.faceMetadataPerFaceMonth} per face per month (the line is the first month; every further month adds it again). Confirmed: ${PEOPLE_PRICES.confirmed}. NOT confirmed: ${PEOPLE_PRICES.notConfirmed}.`,
      ...videoCostLines(),
      `Rekognition (tiered per month; Group 2 = DetectLabels, DetectModerationLabels, DetectFaces, DetectText, one tier ladder, each API on each image one image): ${tiers(PRICES.rekognition.group2PerImage)}; Image Properties: ${tiers(PRICES.rekognition.imagePropertiesPerImage)}.`,
      `Prices: ${Object.values(PRICES.sources).join(' ')}`,
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
