import { DETAIL_TYPES, type ImageFailedDetail, type ImageProcessedDetail, type NotifyingDetailType } from '@smart-image-pipeline/contracts';
import type { MessageContent } from './types';

/** What a failure means to the person who uploaded the file; anything else is ours to fix. */
const FAILURE_REASONS: Record<string, string> = {
  UnsupportedImageTypeError: 'the file is not an image type we accept (JPEG, PNG, WebP, GIF, TIFF or AVIF)',
  ImageTooLargeError: 'the image is larger than we accept',
  CorruptImageError: 'the file is damaged or incomplete',
  SourceNotFoundError: 'the upload was deleted before it could be processed',
};

/** Longest SMS kept in one part: 160 characters of the GSM 7-bit alphabet. */
export const SMS_LIMIT = 160;

const utc = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Keeps an SMS to one GSM-7 part: plain ASCII only (no part split, no UCS-2 halving), cut at 160 characters. */
export function smsText(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '');
  return ascii.length <= SMS_LIMIT ? ascii : `${ascii.slice(0, SMS_LIMIT - 3)}...`;
}

/** The message for an event a user can be told about. It names no object key and no file name: only ids and facts. */
export function eventMessage(detailType: NotifyingDetailType, detail: ImageProcessedDetail | ImageFailedDetail): MessageContent {
  const shortId = detail.imageId.slice(0, 8);
  if (detailType === DETAIL_TYPES.failed) {
    const { name } = (detail as ImageFailedDetail).error;
    const reason = FAILURE_REASONS[name] ?? `an error on our side (${name}); please try again later`;
    return {
      subject: 'Your image could not be processed',
      text: [`Your upload of ${utc(detail.receivedAt)} could not be processed: ${reason}.`, '', `Image id: ${detail.imageId}`].join('\n'),
      short: smsText(`Smart Image Pipeline: image ${shortId} could not be processed: ${reason}.`),
    };
  }
  const processed = detail as ImageProcessedDetail;
  const labels = processed.labels.map((label) => label.name);
  const sizes = [...new Set(processed.variants.map((variant) => Math.max(variant.width, variant.height)))].sort((a, b) => a - b);
  const lines = [
    `Your upload of ${utc(detail.receivedAt)} was processed.`,
    '',
    `Image id: ${detail.imageId}`,
    processed.analysed ? `Labels: ${labels.length > 0 ? labels.join(', ') : 'none found'}` : 'It was too small to analyse.',
    processed.video
      ? `Video: ${Math.round(processed.video.durationSeconds)} s, ${processed.image.width}x${processed.image.height}`
      : `Sizes: ${sizes.join(', ')} px`,
    ...(processed.moderated ? ['It was flagged for review.'] : []),
  ];
  return {
    subject: 'Your image was processed',
    text: lines.join('\n'),
    short: smsText(
      `Smart Image Pipeline: image ${shortId} was processed.${labels.length > 0 ? ` Labels: ${labels.slice(0, 5).join(', ')}.` : ''}`,
    ),
  };
}

/** How many events of each kind a window held back, and when that window was. */
export interface DigestCounts {
  processed: number;
  failed: number;
  windowStart: number;
  windowSeconds: number;
}

/** The "and N more" message sent once at the end of a window that hit the rate limit. */
export function digestMessage({ processed, failed, windowStart, windowSeconds }: DigestCounts): MessageContent {
  const total = processed + failed;
  const from = utc(new Date(windowStart * 1000).toISOString());
  const to = utc(new Date((windowStart + windowSeconds) * 1000).toISOString()).slice(11);
  const parts = [`${processed} processed`, ...(failed > 0 ? [`${failed} failed`] : [])].join(', ');
  return {
    subject: `${total} more of your images finished`,
    text: [
      `So as not to flood you, we held back ${total} more messages between ${from} and ${to}: ${parts}.`,
      '',
      'The gallery shows every image and its status.',
    ].join('\n'),
    short: smsText(
      `Smart Image Pipeline: ${total} more images finished (${parts}) between ${from.slice(11, 16)} and ${to.slice(0, 5)} UTC.`,
    ),
  };
}
