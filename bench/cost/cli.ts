import { computeCost, type CostReport } from './model';
import { PRICES } from './prices';
import { gatherCostInputs, transitionsPerRun } from './gather';

/** The cost target of issue 6 (dollars per 1,000 images with the default switches). */
export const COST_TARGET_USD_PER_THOUSAND = 1.5;

/** Reads `--name value` flags into numbers, with defaults. */
export function parseCostArgs(argv: readonly string[]): { images: number; facesShare: number; textShare: number; analysisCopyShare: number; emailShare: number } {
  const value = (name: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const parsed = Number(argv[at + 1]);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} needs a non-negative number, got "${argv[at + 1]}"`);
    return parsed;
  };
  return {
    images: value('images', 1_000_000),
    facesShare: value('faces-share', 0.3),
    textShare: value('text-share', 0.1),
    analysisCopyShare: value('analysis-copy-share', 0.5),
    emailShare: value('email-share', 0),
  };
}

const money = (usd: number) => `$${usd.toFixed(4)}`;

/** Renders both designs side by side as a plain-text table. */
export function formatCostTable(ours: CostReport, naive: CostReport): string {
  const rows = ours.lines.map((line, i) => [line.service, line.item, line.unitsPerImage.toFixed(3), money(line.usdPerThousand), money(naive.lines[i].usdPerThousand)]);
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

async function main(): Promise<void> {
  const { options, inputs, ours, naive, transitions } = await costReports(process.argv.slice(2));
  process.stdout.write(
    [
      `Cost per 1,000 images at ${options.images.toLocaleString('en-US')} images/month (${PRICES.region} list prices checked ${PRICES.checkedOn}; free tiers ignored)`,
      `faces-share ${options.facesShare}, text-share ${options.textShare}, analysis-copy-share ${options.analysisCopyShare}, email-share ${options.emailShare}`,
      `Step Functions: ${transitions.length} transitions per successful run (${transitions.join(' > ')}); notifications are rules on the bus, not states`,
      `Lambda durations: ${inputs.lambdas.map((l) => `${l.logicalId} ${Math.round(l.durationMs)} ms (${l.source})`).join('; ')}`,
      '',
      formatCostTable(ours, naive),
      '',
      `Target <= $${COST_TARGET_USD_PER_THOUSAND.toFixed(2)} per 1,000: ${ours.usdPerThousand <= COST_TARGET_USD_PER_THOUSAND ? 'met' : 'MISSED'} ($${ours.usdPerThousand.toFixed(3)}); the naive design (all four Detect calls on every image) costs $${naive.usdPerThousand.toFixed(3)}.`,
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
