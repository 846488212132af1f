
/** A value tree turned into XML: strings are escaped, arrays repeat their element, undefined is left out. */
export type XmlValue = string | number | boolean | undefined | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

/** Renders one root element with S3's namespace, as S3's REST answers are shaped. */
export function renderXml(root: string, content: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${renderChildren(content)}</${root}>`;
}

function renderChildren(node: XmlNode): string {
  return Object.entries(node)
    .map(([name, value]) => renderElement(name, value))
    .join('');
}

function renderElement(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => renderElement(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${renderChildren(value)}</${name}>`;
  return `<${name}>${String(value).replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch] as string)}</${name}>`;
}

/** Inner XML of every <tag>…</tag> in the text (the request bodies S3 takes never nest a tag in itself). */
export function xmlElements(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => match[1]);
}

/** Decoded text of the first <tag>, or undefined. */
export function xmlText(xml: string, tag: string): string | undefined {
  const [inner] = xmlElements(xml, tag);
  return inner === undefined ? undefined : decodeXmlText(inner);
}

function decodeXmlText(text: string): string {
  const cdata = /^<!\[CDATA\[([\s\S]*)\]\]>$/.exec(text);
  if (cdata) return cdata[1];
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|apos|quot);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' } as Record<string, string>)[entity];
  });
}
