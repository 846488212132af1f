import path from 'node:path';
import { buildWebAssets, writeWebAssets } from './server/web-assets';

/**
 * `tsx console/build.ts <folder>`: builds the console's front end into the folder (index.html, favicon, hashed
 * assets). WebDeployFunction's Makefile ships this folder; `sam deploy` writes it, plus config.json, to the web bucket.
 */
async function main(): Promise<void> {
  const [dir] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('Usage: tsx console/build.ts <output folder>\n');
    process.exit(2);
  }
  const written = await writeWebAssets(path.resolve(dir), await buildWebAssets());
  process.stdout.write(`console built into ${dir}: ${written.join(', ')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
