import { encodeAnalysisJpeg } from './analysis-image';
import { exifForVariants, readExifTags, summariseExif } from './exif';
import { ImageTooLargeError } from './errors';
import { inspectImage } from './inspect';
import { analysisKey, fitLongestSide, planBaseSide, planVariantSides, REKOGNITION_MIN_SIDE, variantKey } from './plan';
import { pickRecipient } from './recipient';
import { analysisCopyReason } from './rekognition-readiness';
import { decodeUpright, encodeJpeg, encodeWebp, perceptualHash, resizePixels, thumbHash, type EncodeOptions, type Pixels } from './render';
import type { AnalysisImage, ResizeDeps, ResizeInput, ResizeOutput, Variant } from './types';

/** Variant keys carry the revision, so their bytes never change: cache them for a year. */
export const VARIANT_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const CONTENT_TYPES = { webp: 'image/webp', jpeg: 'image/jpeg' } as const;

/**
 * Checks the uploaded object by its bytes, writes the variants (and the Rekognition-ready copy when the
 * original is not acceptable as it is) to the processed bucket, and returns the image facts and pointers.
 * @throws SourceNotFoundError, ImageTooLargeError, UnsupportedImageTypeError, CorruptImageError
 */
export async function resizeImage(input: ResizeInput, deps: ResizeDeps): Promise<ResizeOutput> {
  const { settings, store } = deps;
  const { source, imageId, revision } = input;

  const object = await store.getObject({ bucket: source.bucket, key: source.key, versionId: source.versionId });
  if (object.contentLength !== undefined && object.contentLength > settings.maxInputBytes) {
    object.discard();
    throw new ImageTooLargeError(`${object.contentLength} bytes exceeds the limit of ${settings.maxInputBytes} bytes`);
  }
  const body = await object.readBody(settings.maxInputBytes);

  const inspection = await inspectImage(body, settings);
  const { facts } = inspection;
  const exifTags = await readExifTags(body);
  const exif = summariseExif(exifTags, inspection.orientation);

  const copyReason = analysisCopyReason({ ...facts, orientation: inspection.orientation });
  const variantSides = planVariantSides(facts, settings.variantWidths);
  const baseSide = planBaseSide(facts, variantSides, copyReason !== null, facts.format === 'jpeg');
  const base = await decodeUpright(body, inspection, baseSide);

  const encodeOptions: EncodeOptions = settings.keepGps ? { exif: exifForVariants(exifTags) } : {};
  const put = (key: string, bodyBytes: Buffer, format: 'webp' | 'jpeg', cacheControl?: string): Promise<void> =>
    store.putObject({ bucket: settings.processedBucketName, key, body: bodyBytes, contentType: CONTENT_TYPES[format], cacheControl });

  // Largest first; each smaller size is resized from the previous one, never decoded again.
  const variants: Variant[] = [];
  let previous: Pixels = base;
  for (const side of variantSides) {
    const pixels = await resizePixels(previous, fitLongestSide(previous, side));
    const [webp, jpeg] = await Promise.all([encodeWebp(pixels, encodeOptions), encodeJpeg(pixels, encodeOptions)]);
    const webpKey = variantKey(imageId, revision, side, 'webp');
    const jpegKey = variantKey(imageId, revision, side, 'jpeg');
    await Promise.all([put(webpKey, webp.body, 'webp', VARIANT_CACHE_CONTROL), put(jpegKey, jpeg.body, 'jpeg', VARIANT_CACHE_CONTROL)]);
    variants.push(
      { key: webpKey, format: 'webp', width: webp.width, height: webp.height, bytes: webp.body.length },
      { key: jpegKey, format: 'jpeg', width: jpeg.width, height: jpeg.height, bytes: jpeg.body.length },
    );
    previous = pixels;
  }

  const [placeholder, hash, analysisImage] = await Promise.all([
    thumbHash(previous),
    perceptualHash(previous),
    copyReason === null
      ? Promise.resolve<AnalysisImage>({ ...source, versionId: source.versionId ?? null, width: facts.width, height: facts.height, bytes: facts.bytes })
      : encodeAnalysisJpeg(base).then(async (copy): Promise<AnalysisImage> => {
          const key = analysisKey(imageId, revision);
          await put(key, copy.body, 'jpeg');
          return { bucket: settings.processedBucketName, key, versionId: null, width: copy.width, height: copy.height, bytes: copy.body.length };
        }),
  ]);

  return {
    analysable: Math.min(facts.width, facts.height) >= REKOGNITION_MIN_SIDE,
    image: facts,
    exif,
    placeholder: { kind: 'thumbhash', value: placeholder },
    perceptualHash: hash,
    variants,
    analysisImage: pointerOnly(analysisImage),
    recipient: pickRecipient(object.metadata, settings.defaultRecipient),
  };
}

/** Keeps only the contract's fields (the source pointer carries size, eTag and more). */
function pointerOnly(image: AnalysisImage): AnalysisImage {
  const { bucket, key, versionId, width, height, bytes } = image;
  return { bucket, key, versionId, width, height, bytes };
}
