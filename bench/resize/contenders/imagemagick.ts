import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { peakRssMb } from '../../lib/memory';
import type { Contender, ResizeJob } from '../contender';
import { ENCODE } from '../plan';

/** The real ImageMagick; /usr/local/bin/convert on these machines is a stand-in, so the path is fixed. */
export const IMAGEMAGICK_CONVERT = '/usr/bin/convert';

/** True when ImageMagick's convert is installed where the bench expects it. */
export const imageMagickAvailable = (): boolean => existsSync(IMAGEMAGICK_CONVERT);

/**
 * convert arguments that produce the same outputs in one process: decode once (with libjpeg's
 * shrink-on-load hint, which is fair to ImageMagick), auto-orient, strip, sRGB, Lanczos, then each size from the
 * previous one, written as WebP (q80, method 4) and JPEG (q82, 4:2:0).
 */
export function convertArgs(job: ResizeJob, outDir: string): string[] {
  const box = (side: number) => `${side}x${side}>`;
  const args = [
    '-define',
    `jpeg:size=${job.plan.decodeSide}x${job.plan.decodeSide}`,
    job.path,
    '-auto-orient',
    '-strip',
    '-colorspace',
    'sRGB',
    '-filter',
    'Lanczos',
    '-define',
    `webp:method=${ENCODE.webpEffort}`,
    '-sampling-factor',
    '4:2:0',
  ];
  if (job.plan.analysisCopy) {
    args.push(
      '(',
      '+clone',
      '-resize',
      box(ENCODE.analysisMaxSide),
      '-quality',
      String(ENCODE.analysisQuality),
      '-write',
      path.join(outDir, 'analysis.jpg'),
      '+delete',
      ')',
    );
  }
  for (const side of job.plan.sides) {
    args.push(
      '-resize',
      box(side),
      '-quality',
      String(ENCODE.webpQuality),
      '-write',
      path.join(outDir, `w${side}.webp`),
      '-quality',
      String(ENCODE.jpegQuality),
      '-write',
      path.join(outDir, `w${side}.jpg`),
    );
  }
  args.push('null:');
  return args;
}

/** Runs convert, sampling its peak RSS (VmHWM, a high-water mark) from /proc every 10 ms while it runs. */
function runConvert(args: string[], onPeak: (mb: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(IMAGEMAGICK_CONVERT, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const sample = () => {
      const mb = child.pid ? peakRssMb(child.pid) : null;
      if (mb !== null) onPeak(mb);
    };
    const timer = setInterval(sample, 10);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolve();
      else reject(new Error(`convert exited ${code}: ${stderr.slice(-500)}`));
    });
  });
}

/** ImageMagick 6/7 `convert`, one process per image (so concurrency 2 runs two at once). */
export function imageMagickContender(): Contender & { peakChildRssMb(): number } {
  let peak = 0;
  return {
    name: 'imagemagick',
    peakChildRssMb: () => peak,
    async run(job: ResizeJob) {
      const outDir = await mkdtemp(path.join(os.tmpdir(), 'sip-bench-im-'));
      try {
        await runConvert(convertArgs(job, outDir), (mb) => (peak = Math.max(peak, mb)));
        const files = await readdir(outDir);
        const sizes = await Promise.all(files.map(async (f) => (await stat(path.join(outDir, f))).size));
        return { outputs: files.length, outputBytes: sizes.reduce((a, b) => a + b, 0) };
      } finally {
        await rm(outDir, { recursive: true, force: true });
      }
    },
  };
}
