import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where hardening runs leave their measured figures (git-ignored), for the README's Hardening section. */
export const FIGURES_DIR = join(__dirname, '../../../test-artifacts/hardening');

/** Writes one run's figures as JSON and echoes them, so CI logs carry them too. */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`[hardening] ${name}: ${JSON.stringify(figures)}\n`);
}
