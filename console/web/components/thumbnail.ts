import { thumbHashToDataURL } from 'thumbhash';
import type { ImageSummary } from '../api';
import { h } from '../dom';

/** Decodes a base64 thumbhash into a PNG data URL; undefined when it is not a valid thumbhash. */
export function placeholderUrl(placeholder: ImageSummary['placeholder']): string | undefined {
  if (!placeholder || placeholder.kind !== 'thumbhash' || typeof placeholder.value !== 'string') return undefined;
  try {
    const bytes = Uint8Array.from(atob(placeholder.value), (char) => char.charCodeAt(0));
    return thumbHashToDataURL(bytes);
  } catch {
    return undefined;
  }
}

/** The placeholder of an image whose variants are not served: waiting for a review, or rejected by one. */
export function withheldPlaceholder(status: string | undefined, className = 'thumb'): HTMLElement {
  const text = status === 'REJECTED' ? 'Removed after review' : 'Held for review';
  return h(
    'div',
    { class: `${className} withheld`, 'data-withheld': status ?? 'QUARANTINED' },
    h('span', { class: 'withheld-text' }, text),
  );
}

/** A thumbnail that shows its decoded thumbhash until the real image has loaded. */
export function thumbnail(
  image: Pick<ImageSummary, 'thumbnail' | 'placeholder' | 'name' | 'width' | 'height'> & Partial<Pick<ImageSummary, 'withheld' | 'status'>>,
  className = 'thumb',
): HTMLElement {
  if (image.withheld) return withheldPlaceholder(image.status, className);
  const frame = h('div', { class: `${className} loading` });
  const width = image.thumbnail?.width ?? image.width ?? 4;
  const height = image.thumbnail?.height ?? image.height ?? 3;
  frame.style.aspectRatio = `${width} / ${height}`;
  const placeholder = placeholderUrl(image.placeholder);
  if (placeholder) frame.appendChild(h('img', { class: 'placeholder', src: placeholder, alt: '', 'aria-hidden': 'true' }));
  if (image.thumbnail) {
    const img = h('img', {
      class: 'real',
      src: image.thumbnail.url,
      alt: image.name,
      loading: 'lazy',
      decoding: 'async',
      width: String(width),
      height: String(height),
    });
    img.addEventListener('load', () => frame.classList.remove('loading'));
    frame.appendChild(img);
  } else {
    frame.appendChild(h('span', { class: 'no-thumb' }, 'no preview'));
  }
  return frame;
}
