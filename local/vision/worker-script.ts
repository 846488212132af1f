import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Returns a plain-JS entry point for the worker process. From compiled JS it is the sibling file;
 * from TypeScript sources (ts-jest, the local CLI) esbuild bundles worker-main.ts into `cacheDir`,
 * with every package import pinned to an absolute path so the bundle runs from anywhere. The workspace packages
 * (@smart-image-pipeline/*) are TypeScript source, so they are bundled in instead.
 * @throws Error when the bundle cannot be built
 */
export async function workerScript(cacheDir: string): Promise<string> {
  if (__filename.endsWith('.js')) return join(__dirname, 'worker-main.js');
  const result = await build({
    entryPoints: [join(__dirname, 'worker-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'absolute-packages',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true };
            if (args.path.startsWith('@smart-image-pipeline/')) return undefined;
            return { path: require.resolve(args.path, { paths: [args.resolveDir] }), external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  await mkdir(cacheDir, { recursive: true });
  const file = join(cacheDir, 'vision-worker.cjs');
  // Several services (test files) may share a data dir: write aside, then rename atomically.
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, code);
  await rename(temporary, file);
  return file;
}
