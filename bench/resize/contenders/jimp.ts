import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Contender, ResizeJob } from '../contender';
import { ENCODE } from '../plan';

/**
 * @jimp/wasm-webp loads its WASM with fetch(file://…), which Node's fetch does not implement; answer those
 * URLs from disk (local files only) so jimp can write WebP like the other contenders.
 */
function allowFileFetch(): void {
  const networkFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith('file:')) return new Response(readFileSync(fileURLToPath(url)), { headers: { 'content-type': 'application/wasm' } });
    return networkFetch(input, init);
  }) as typeof fetch;
}

/** The part of a jimp image this contender uses (jimp's own generic types do not survive clone()). */
interface Image {
  bitmap: { width: number; height: number };
  clone(): Image;
  scaleToFit(size: { w: number; h: number }): Image;
  getBuffer(mime: string, options: object): Promise<Uint8Array>;
}

const WEBP_PLUGIN: string = '@jimp/wasm-webp';

/** jimp 1.x (pure-JS decode, resize and JPEG; WebP through its official WASM plugin). */
export async function jimpContender(): Promise<Contender> {
  allowFileFetch();
  const { createJimp } = await import('@jimp/core');
  const { defaultFormats, defaultPlugins } = await import('jimp');
  // The plugin's package exports carry types for ESM only; its shape is jimp's own format plugin.
  const webp = ((await import(WEBP_PLUGIN)) as { default: (typeof defaultFormats)[number] }).default;
  const Jimp = createJimp({ formats: [...defaultFormats, webp], plugins: defaultPlugins });
  const encode = async (image: Image, mime: 'image/webp' | 'image/jpeg', quality: number) =>
    Buffer.from(await image.getBuffer(mime, mime === 'image/webp' ? { quality, method: ENCODE.webpEffort } : { quality }));
  const fit = (image: Image, side: number) => {
    const longest = Math.max(image.bitmap.width, image.bitmap.height);
    return side >= longest ? image.clone() : image.clone().scaleToFit({ w: side, h: side });
  };
  return {
    name: 'jimp',
    async run(job: ResizeJob) {
      // Jimp.read applies the EXIF orientation; jimp writes no metadata, so the outputs are stripped.
      const decoded = (await Jimp.read(job.bytes)) as unknown as Image;
      const buffers: Buffer[] = [];
      if (job.plan.analysisCopy) buffers.push(await encode(fit(decoded, ENCODE.analysisMaxSide), 'image/jpeg', ENCODE.analysisQuality));
      let current = decoded;
      for (const side of job.plan.sides) {
        current = fit(current, side);
        buffers.push(await encode(current, 'image/webp', ENCODE.webpQuality), await encode(current, 'image/jpeg', ENCODE.jpegQuality));
      }
      return { outputs: buffers.length, outputBytes: buffers.reduce((n, b) => n + b.length, 0) };
    },
  };
}
