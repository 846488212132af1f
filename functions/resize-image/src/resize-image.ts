import { encodeAnalysisJpeg } from './analysis-image';
import { exifForVariants, readExifTags, summariseExif } from './exif';
import { ImageTooLargeError } from './errors';
import { inspectImage } from './inspect';
import { analysisImageKey, SOURCE_ORDER_METADATA, sniffVideoType, variantKey, VIDEO_MAGIC_BYTES } from '@smart-image-pipeline/contracts';
import { fitLongestSide, planBaseSide, planVariantSides, REKOGNITION_MIN_SIDE } from './plan';
import { analysisCopyReason } from './rekognition-readiness';
import {
  decodeUpright,
  encodeJpeg,
  encodeWebp,
  imageProperties,
  perceptualHash,
  resizePixels,
  thumbHash,
  type EncodeOptions,
  type Pixels,
} from './render';
import type { AnalysisImage, OpenedObject, ResizeDeps, ResizeInput, ResizeOutput, Variant, VideoHandoff } from './types';

/** Variant keys carry the revision, so their bytes never change: cache them for a year. */
export const VARIANT_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const CONTENT_TYPES = { webp: 'image/webp', jpeg: 'image/jpeg' } as const;

/**
 * The ResizeImage step: an image is resized (resizeImage); a video, recognised from its first bytes, is handed on
 * untouched to the state machine's video branch, before any byte limit (videos are far larger, ProbeVideo has its own).
 * @throws SourceNotFoundError, ImageTooLargeError, UnsupportedImageTypeError, CorruptImageError
 */
export async function resizeUpload(input: ResizeInput, deps: ResizeDeps): Promise<ResizeOutput | VideoHandoff> {
  const object = await openSource(input, deps);
  if (sniffVideoType(await object.readHead(VIDEO_MAGIC_BYTES)) === null) return resizeOpened(object, input, deps);
  object.discard();
  return {
    mediaType: 'video',
    analysable: false,
    image: null,
    exif: null,
    placeholder: null,
    perceptualHash: null,
    imageProperties: null,
    variants: [],
    analysisImage: null,
  };
}

/**
 * Checks the uploaded object by its bytes, writes the variants (and the Rekognition-ready copy when the
 * original is not acceptable as it is) to the processed bucket, and returns the image facts and pointers.
 * @throws SourceNotFoundError, ImageTooLargeError, UnsupportedImageTypeError, CorruptImageError
 */
export async function resizeImage(input: ResizeInput, deps: ResizeDeps): Promise<ResizeOutput> {
  return resizeOpened(await openSource(input, deps), input, deps);
}

const openSource = ({ source }: ResizeInput, { store }: ResizeDeps): Promise<OpenedObject> =>
  store.getObject({ bucket: source.bucket, key: source.key, versionId: source.versionId });

async function resizeOpened(object: OpenedObject, input: ResizeInput, deps: ResizeDeps): Promise<ResizeOutput> {
  const { settings, store } = deps;
  const { source, imageId, revision } = input;
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

  const encodeOptions: EncodeOptions = {
    tagSrgb: inspection.hasProfile || facts.space === 'cmyk',
    ...(settings.keepGps ? { exif: exifForVariants(exifTags) } : {}),
  };
  // The clean-up tells this revision's outputs from older and newer ones by the upload's order (docs/contracts.md).
  const outputMetadata = { [SOURCE_ORDER_METADATA]: source.sourceOrder };
  const put = (key: string, bodyBytes: Buffer, format: 'webp' | 'jpeg', cacheControl?: string): Promise<void> =>
    store.putObject({
      bucket: settings.processedBucketName,
      key,
      body: bodyBytes,
      contentType: CONTENT_TYPES[format],
      cacheControl,
      metadata: outputMetadata,
    });

  // Decode once; each smaller size is resized from the next larger one (cheap), then every output is
  // encoded at the same time, so WebP encoding (the slowest step) keeps both vCPUs busy.
  const sized: Array<{ side: number; pixels: Pixels }> = [];
  let previous: Pixels = base;
  for (const side of variantSides) {
    previous = await resizePixels(previous, fitLongestSide(previous, side));
    sized.push({ side, pixels: previous });
  }
  const smallest = previous;

  const encodeVariant = async (side: number, pixels: Pixels, format: 'webp' | 'jpeg'): Promise<Variant> => {
    const encoded = format === 'webp' ? await encodeWebp(pixels, encodeOptions) : await encodeJpeg(pixels, encodeOptions);
    const key = variantKey(imageId, revision, side, format);
    await put(key, encoded.body, format, VARIANT_CACHE_CONTROL);
    return { key, format, width: encoded.width, height: encoded.height, bytes: encoded.body.length };
  };
  const writeAnalysisCopy = async (): Promise<AnalysisImage> => {
    const copy = await encodeAnalysisJpeg(base);
    const key = analysisImageKey(imageId, revision);
    await put(key, copy.body, 'jpeg');
    return { bucket: settings.processedBucketName, key, versionId: null, width: copy.width, height: copy.height, bytes: copy.body.length };
  };
  const original: AnalysisImage = { bucket: source.bucket, key: source.key, versionId: source.versionId ?? null, ...pick(facts) };

  const [variants, placeholder, hash, properties, analysisImage] = await Promise.all([
    Promise.all(sized.flatMap(({ side, pixels }) => [encodeVariant(side, pixels, 'webp'), encodeVariant(side, pixels, 'jpeg')])),
    thumbHash(smallest),
    perceptualHash(smallest),
    imageProperties(smallest),
    copyReason === null ? Promise.resolve(original) : writeAnalysisCopy(),
  ]);

  return {
    mediaType: 'image',
    analysable: Math.min(facts.width, facts.height) >= REKOGNITION_MIN_SIDE,
    image: facts,
    exif,
    placeholder: { kind: 'thumbhash', value: placeholder },
    perceptualHash: hash,
    imageProperties: properties,
    variants,
    analysisImage,
  };
}

const pick = ({ width, height, bytes }: { width: number; height: number; bytes: number }) => ({ width, height, bytes });
