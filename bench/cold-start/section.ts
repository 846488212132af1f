import { spawn } from 'node:child_process';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { repoPath, REPO_ROOT } from '../lib/paths';
import { quantile, round } from '../lib/stats';
import { templateFunctions, type TemplateFunction } from '../lib/template';

/** Cold start of one bundled handler, measured in fresh processes. */
export interface ColdStartResult {
  logicalId: string;
  bundleBytes: number;
  external: string[];
  samples: number;
  importMsMedian: number;
  importMsMin: number;
  processStartToReadyMsMedian: number;
  /** Extra process-start-to-ready time with NODE_OPTIONS=--enable-source-maps (the EnableSourceMaps parameter). */
  sourceMapsCostMsMedian: number;
  ready: boolean;
  error?: string;
}

interface ProbeOutput {
  importMs: number;
  processStartToReadyMs: number;
  ready: boolean;
}

/**
 * Bundles a handler as `sam build` does with the template's esbuild Metadata (Minify, Target, Sourcemap,
 * EntryPoints, External), CommonJS for Node.
 * @throws Error with esbuild's messages when the handler does not build.
 */
export async function bundleFunction(fn: TemplateFunction, outDir: string): Promise<string> {
  const entry = fn.build.entryPoints[0];
  await build({
    entryPoints: [path.join(REPO_ROOT, fn.codeUri, entry)],
    outfile: path.join(outDir, entry.replace(/\.ts$/, '.js')),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: fn.build.target,
    minify: fn.build.minify,
    sourcemap: fn.build.sourcemap,
    external: fn.build.external,
    logLevel: 'silent',
  });
  return path.join(outDir, entry.replace(/\.ts$/, '.js'));
}

/** Runs the probe once in a fresh process with the function's environment, as Lambda would set it. */
function probeOnce(bundle: string, fn: TemplateFunction, resultFile: string, extraEnv: Record<string, string> = {}): Promise<ProbeOutput> {
  return new Promise((resolve, reject) => {
    const env = {
      PATH: process.env.PATH ?? '',
      ...fn.environment,
      ...extraEnv,
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      // External packages (sharp) come from the repo's node_modules, as the layer provides them on Lambda.
      NODE_PATH: repoPath('node_modules'),
    };
    const child = spawn(process.execPath, [repoPath('bench', 'cold-start', 'probe.js'), bundle, resultFile], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', async (code) => {
      if (code !== 0) return reject(new Error(`probe exited ${code}: ${stderr.slice(-800)}`));
      try {
        resolve(JSON.parse(await readFile(resultFile, 'utf8')) as ProbeOutput);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * Bundles every esbuild-built function from template.yaml and measures import-to-ready `samples` times each
 * (a makefile-built function, such as the web app's deployer custom resource, is built by its own Makefile).
 */
export async function runColdStartBench(tmpDir: string, samples: number, log: (line: string) => void): Promise<ColdStartResult[]> {
  const results: ColdStartResult[] = [];
  for (const fn of templateFunctions().filter((f) => f.codeUri.startsWith('functions/') && f.buildMethod === 'esbuild')) {
    const outDir = path.join(tmpDir, 'cold-start', fn.logicalId);
    await mkdir(outDir, { recursive: true });
    try {
      const bundle = await bundleFunction(fn, outDir);
      const probes: ProbeOutput[] = [];
      const withSourceMaps: ProbeOutput[] = [];
      // Interleaved, so a change in machine load hits both variants alike.
      for (let i = 0; i < samples; i++) {
        probes.push(await probeOnce(bundle, fn, path.join(outDir, `probe-${i}.json`)));
        withSourceMaps.push(
          await probeOnce(bundle, fn, path.join(outDir, `probe-maps-${i}.json`), { NODE_OPTIONS: '--enable-source-maps' }),
        );
      }
      const imports = probes.map((p) => p.importMs);
      const readyMs = quantile(
        probes.map((p) => p.processStartToReadyMs),
        0.5,
      );
      const result: ColdStartResult = {
        logicalId: fn.logicalId,
        bundleBytes: (await stat(bundle)).size,
        external: fn.build.external,
        samples,
        importMsMedian: round(quantile(imports, 0.5), 1),
        importMsMin: round(Math.min(...imports), 1),
        processStartToReadyMsMedian: round(readyMs, 1),
        sourceMapsCostMsMedian: round(
          quantile(
            withSourceMaps.map((p) => p.processStartToReadyMs),
            0.5,
          ) - readyMs,
          1,
        ),
        ready: probes.every((p) => p.ready),
      };
      log(
        `  cold start ${fn.logicalId}: import ${result.importMsMedian} ms (median of ${samples}), bundle ${Math.round(result.bundleBytes / 1024)} KB, source maps +${result.sourceMapsCostMsMedian} ms`,
      );
      results.push(result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  cold start ${fn.logicalId}: FAILED ${message.slice(0, 300)}`);
      results.push({
        logicalId: fn.logicalId,
        bundleBytes: 0,
        external: fn.build.external,
        samples: 0,
        importMsMedian: Number.NaN,
        importMsMin: Number.NaN,
        processStartToReadyMsMedian: Number.NaN,
        sourceMapsCostMsMedian: Number.NaN,
        ready: false,
        error: message.slice(0, 1000),
      });
    }
  }
  return results;
}
