import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One built file of the front end, kept in memory and served as it is. */
export interface WebAsset {
  body: Buffer;
  contentType: string;
}

/** The console folder (…/console), whether this file runs from source or from a bundle. */
export const CONSOLE_DIR = path.resolve(__dirname, '..');

/**
 * Builds the front end with esbuild's API (about 100 ms), so a fresh clone needs no build step.
 * The result is served from memory and also written to console/dist for people to look at; each file is
 * written to a temporary name and renamed, so parallel test servers never see half-written files.
 * @throws Error when the TypeScript of the front end does not compile.
 */
export async function buildWebAssets(consoleDir = CONSOLE_DIR): Promise<Map<string, WebAsset>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { app: path.join(consoleDir, 'web', 'main.ts') },
    bundle: true,
    write: false,
    outdir: path.join(consoleDir, 'dist', 'assets'),
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const assets = new Map<string, WebAsset>();
  for (const file of result.outputFiles) {
    const name = `/assets/${path.basename(file.path)}`;
    assets.set(name, { body: Buffer.from(file.contents), contentType: file.path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8' });
  }
  assets.set('/', { body: await readFile(path.join(consoleDir, 'web', 'index.html')), contentType: 'text/html; charset=utf-8' });
  assets.set('/favicon.svg', { body: await readFile(path.join(consoleDir, 'web', 'favicon.svg')), contentType: 'image/svg+xml' });
  await writeDist(path.join(consoleDir, 'dist'), assets).catch(() => undefined);
  return assets;
}

async function writeDist(distDir: string, assets: Map<string, WebAsset>): Promise<void> {
  for (const [name, asset] of assets) {
    const target = path.join(distDir, name === '/' ? 'index.html' : name);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, asset.body);
    await rename(temporary, target);
  }
}
