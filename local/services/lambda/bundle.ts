import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** A handler module compiled to CommonJS, ready to run in a sandbox. */
export interface BundledHandler {
  /** Where the source lives; module resolution of its packages starts here. */
  filename: string;
  code: string;
}

/**
 * Compiles a handler and the function's own modules into one CommonJS script with esbuild, as `sam build` does
 * (packages stay external and load from node_modules).
 * @throws Error with esbuild's messages when the source does not compile.
 */
export async function bundleHandler(file: string): Promise<BundledHandler> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    // Never written; it makes the source map's paths relative to the handler's folder, where Node resolves them.
    outfile: join(dirname(file), '.local-bundle.cjs'),
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return { filename: file, code: result.outputFiles[0].text };
}
