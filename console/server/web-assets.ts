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
 * Builds the front end with esbuild's API (about 100 ms), so a fresh clone needs no build step. Script and style
 * names carry a content hash (`/assets/app-<hash>.js`, and `chunk-<hash>.js` for code loaded on demand), and index.html
 * is rewritten to name the entry's, so a CDN may cache
 * them for ever while index.html is revalidated. The same build is served locally and shipped to the web bucket.
 * @throws Error when the TypeScript of the front end does not compile.
 */
export async function buildWebAssets(consoleDir = CONSOLE_DIR): Promise<Map<string, WebAsset>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { app: path.join(consoleDir, 'web', 'main.ts') },
    bundle: true,
    write: false,
    outdir: path.join(consoleDir, 'dist', 'assets'),
    entryNames: '[name]-[hash]',
    // Code only some pages need (the HLS player) is its own file, loaded when a page first imports it.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const assets = new Map<string, WebAsset>();
  let html = await readFile(path.join(consoleDir, 'web', 'index.html'), 'utf8');
  for (const file of result.outputFiles) {
    const name = `/assets/${path.basename(file.path)}`;
    const extension = path.extname(file.path);
    assets.set(name, {
      body: Buffer.from(file.contents),
      contentType: extension === '.css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    });
    if (path.basename(file.path).startsWith('app-')) html = html.replace(`/assets/app${extension}`, name);
  }
  assets.set('/', { body: Buffer.from(html), contentType: 'text/html; charset=utf-8' });
  assets.set('/favicon.svg', { body: await readFile(path.join(consoleDir, 'web', 'favicon.svg')), contentType: 'image/svg+xml' });
  return assets;
}

/**
 * Writes the built front end into a folder (`/` as index.html); each file goes to a temporary name and is renamed,
 * so parallel builds never leave half-written files.
 */
export async function writeWebAssets(dir: string, assets: Map<string, WebAsset>): Promise<string[]> {
  const written: string[] = [];
  for (const [name, asset] of assets) {
    const relativePath = name === '/' ? 'index.html' : name.slice(1);
    const target = path.join(dir, relativePath);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, asset.body);
    await rename(temporary, target);
    written.push(relativePath);
  }
  return written;
}
