import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** A handler module compiled to CommonJS, ready to run in a sandbox. */
export interface BundledHandler {
  /** Where the source lives; module resolution of its packages starts here. */
  filename: string;
  code: string;
}

/** The repository's own workspace packages: TypeScript source, so they are bundled in, as `sam build` does. */
const WORKSPACE_SCOPE = '@smart-image-pipeline/';

const WORKSPACE_PACKAGES_DIR = join(__dirname, '..', '..', '..', 'packages');

/**
 * Leaves every other bare import (an npm package) to load from node_modules at run time. A workspace package's
 * own dependencies are pinned to the copy installed for it (zod 4 for contracts, while jimp hoists zod 3), since
 * the bundle resolves bare names from the handler's folder.
 */
const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith(WORKSPACE_SCOPE)) return undefined;
      if (args.resolveDir.startsWith(WORKSPACE_PACKAGES_DIR))
        return { path: require.resolve(args.path, { paths: [args.resolveDir] }), external: true };
      return { path: args.path, external: true };
    });
  },
};

/**
 * Compiles a handler, the function's own modules and the workspace packages it imports into one CommonJS script
 * with esbuild, as `sam build` does (npm packages stay external and load from node_modules).
 * @throws Error with esbuild's messages when the source does not compile.
 */
export async function bundleHandler(file: string): Promise<BundledHandler> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [npmPackagesExternal],
    write: false,
    // Never written; it makes the source map's paths relative to the handler's folder, where Node resolves them.
    outfile: join(dirname(file), '.local-bundle.cjs'),
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return { filename: file, code: result.outputFiles[0].text };
}
