import { join } from 'node:path';
import { build } from 'esbuild';

describe('browser entry', () => {
  it('bundles for a browser without any Node built-in, Node global or the schema library', async () => {
    // Act: platform "browser" makes esbuild fail on any node: import it cannot resolve.
    const result = await build({
      entryPoints: [join(__dirname, '../../browser.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });

    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => /identity|zod|^node:/.test(path))).toEqual([]);
    expect(result.outputFiles[0].text).not.toMatch(/\bBuffer\b|\bprocess\.|require\(/);
  });
});
