import sharp from 'sharp';
import { configureSharpForLambda } from '../../../functions/resize-image/src/sharp-settings';
import type { Contender, ResizeJob, ResizeResult } from '../contender';
import { ENCODE } from '../plan';

const INPUT: sharp.SharpOptions = { failOn: 'error', limitInputPixels: 100_000_000, sequentialRead: true };
const fit = (side: number): sharp.ResizeOptions => ({ width: side, height: side, fit: 'inside', withoutEnlargement: true });
const webp = (s: sharp.Sharp) => s.webp({ quality: ENCODE.webpQuality, effort: ENCODE.webpEffort }).toBuffer();
const jpeg = (s: sharp.Sharp, quality: number = ENCODE.jpegQuality) => s.jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();

const summarise = (buffers: Buffer[]): ResizeResult => ({
  outputs: buffers.length,
  outputBytes: buffers.reduce((n, b) => n + b.length, 0),
});

/**
 * Plain sharp, decode once: shrink-on-load to the largest output, then each smaller size from the next
 * larger one, every output encoded at once. The same work as our core minus inspection, EXIF, hashes and puts.
 */
export function sharpOnceContender(): Contender {
  configureSharpForLambda();
  return {
    name: 'sharp-once',
    async run(job: ResizeJob) {
      const { data, info } = await sharp(job.bytes, INPUT)
        .autoOrient()
        .resize(fit(job.plan.decodeSide))
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const raw = (d: Buffer, w: number, h: number) => sharp(d, { raw: { width: w, height: h, channels: info.channels } });
      const work: Array<Promise<Buffer>> = [];
      if (job.plan.analysisCopy)
        work.push(jpeg(raw(data, info.width, info.height).resize(fit(ENCODE.analysisMaxSide)), ENCODE.analysisQuality));
      let current = { data, width: info.width, height: info.height };
      for (const side of job.plan.sides) {
        const sized = await raw(current.data, current.width, current.height).resize(fit(side)).raw().toBuffer({ resolveWithObject: true });
        current = { data: sized.data, width: sized.info.width, height: sized.info.height };
        work.push(webp(raw(current.data, current.width, current.height)), jpeg(raw(current.data, current.width, current.height)));
      }
      return summarise(await Promise.all(work));
    },
  };
}

/** Plain sharp, the idiomatic way: one pipeline cloned per output, each with its own shrink-on-load decode. */
export function sharpCloneContender(): Contender {
  configureSharpForLambda();
  return {
    name: 'sharp-clone',
    async run(job: ResizeJob) {
      const source = sharp(job.bytes, INPUT).autoOrient();
      const work = job.plan.sides.flatMap((side) => [webp(source.clone().resize(fit(side))), jpeg(source.clone().resize(fit(side)))]);
      if (job.plan.analysisCopy) work.push(jpeg(source.clone().resize(fit(ENCODE.analysisMaxSide)), ENCODE.analysisQuality));
      return summarise(await Promise.all(work));
    },
  };
}
