import { UnsupportedImageTypeError } from './errors';

/**
 * Constructs that could make an SVG renderer read files or the network, or expand entities.
 * We refuse rather than sanitise: rewriting XML safely is harder than saying no, and a legitimate
 * upload rarely needs any of these.
 */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/<!DOCTYPE/i, 'a DOCTYPE'],
  [/<!ENTITY/i, 'an ENTITY declaration'],
  [/<\?xml-stylesheet/i, 'an xml-stylesheet instruction'],
  [/<(?:[\w.-]+:)?include[\s>/]/i, 'an XInclude element'],
  [/@import/i, 'a CSS @import'],
];

/** href / xlink:href attribute values, quoted either way. */
const HREF = /(?:^|[\s"'])(?:[\w.-]+:)?href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
/** CSS url(...) references in attributes or <style>. */
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\s*\)/gi;

const isInternal = (reference: string): boolean => {
  const ref = reference.trim().replace(/&#x?[0-9a-f]+;/gi, '?');
  return ref.startsWith('#') || /^data:/i.test(ref);
};

/**
 * Checks an SVG for anything that could reach outside the document; only fragment (#id) and data:
 * references may remain.
 * @throws UnsupportedImageTypeError when the SVG declares a DOCTYPE/ENTITY or references anything external.
 */
export function assertSelfContainedSvg(svg: Buffer): void {
  const text = svg.toString('utf8');
  for (const [pattern, what] of FORBIDDEN) {
    if (pattern.test(text)) throw new UnsupportedImageTypeError(`SVG refused: it contains ${what}`);
  }
  for (const match of text.matchAll(HREF)) {
    const value = match[1] ?? match[2] ?? '';
    if (!isInternal(value)) throw new UnsupportedImageTypeError('SVG refused: it references an external resource (href)');
  }
  for (const match of text.matchAll(CSS_URL)) {
    const value = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (!isInternal(value)) throw new UnsupportedImageTypeError('SVG refused: it references an external resource (url())');
  }
}
