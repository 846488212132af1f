import type { S3Client } from '@aws-sdk/client-s3';
import { variantFileName, type VariantItem } from './image-item';
import { objectUrlSigner } from './object-url-signer';
import type { VariantUrl } from './image-views';

/** Content types by variant extension; the resizer wrote each variant in the format its name says. */
const CONTENT_TYPES: Record<string, string> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  avif: 'image/avif',
  // A video's rendition (its poster and sprite are JPEGs), and its HLS ladder's media files.
  mp4: 'video/mp4',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  aac: 'audio/aac',
  vtt: 'text/vtt',
};

/** How long a variant URL stays the same (so browsers can cache it) and how long past that it stays valid. */
export const VARIANT_URL_WINDOW_SECONDS = 300;

/** The content type a variant is served with: from its file name, else its recorded format. */
export function variantContentType(variant: VariantItem): string {
  const file = variantFileName(variant);
  const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? (variant.format ? CONTENT_TYPES[variant.format] : undefined) ?? 'application/octet-stream';
}

/**
 * Presigned GETs of variants in the processed bucket, short-lived: signed at the start of the current 5-minute
 * window and valid for two, so one URL serves a browser's cache for a while and never lives past 10 minutes. The
 * content type is part of the signed request, so S3 answers with the variant's real type whatever the object says.
 * Only keys under `images/` (where the resizer writes) are signed; the function's role can read nothing else anyway.
 */
export function presignedVariantUrls(s3: Pick<S3Client, 'send' | 'config'>, bucket: string, now: () => Date): VariantUrl {
  const sign = objectUrlSigner(s3, bucket);
  return async (variant) => {
    if (!variant.key.startsWith('images/')) throw new Error(`Refusing to sign a variant key outside images/: ${variant.key}`);
    const windowStart = Math.floor(now().getTime() / (VARIANT_URL_WINDOW_SECONDS * 1000)) * VARIANT_URL_WINDOW_SECONDS * 1000;
    return sign(variant.key, {
      responseContentType: variantContentType(variant),
      expiresIn: 2 * VARIANT_URL_WINDOW_SECONDS,
      signingDate: new Date(windowStart),
    });
  };
}
