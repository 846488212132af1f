import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** A value tree written as XML: strings are escaped, arrays repeat their element, undefined is left out. */
export type XmlValue = string | number | boolean | undefined | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

/** The parsed form of a request document: text elements are strings, repeated or listed elements arrays. */
export type ParsedXml = { [name: string]: string | ParsedXml | ParsedXml[] | string[] };

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&apos;',
  '"': '&quot;',
  // A literal CR would reach the client as LF (XML end-of-line handling); S3 writes it as a character reference.
  '\r': '&#13;',
};

const builder = new XMLBuilder({
  ignoreAttributes: false,
  suppressEmptyNode: false,
  // Text is escaped here, with the CR rule the builder's own entity list lacks.
  processEntities: false,
  tagValueProcessor: (_name, value) => String(value).replace(/[&<>'"\r]/g, (char) => ESCAPES[char]),
});

/**
 * Writes one root element (with `xmlns` when given) around the content, optionally after an XML declaration.
 * Element names come from the code, never from requests; every text value is escaped.
 */
export function buildXml(root: string, content: XmlNode, options: { xmlns?: string; declaration?: string } = {}): string {
  const attributes = options.xmlns ? { '@_xmlns': options.xmlns } : {};
  const body = builder.build({ [root]: { ...attributes, ...content } }) as string;
  return options.declaration ? `${options.declaration}\n${body}` : body;
}

/** The XML document is not well-formed; services answer it with their MalformedXML-style error. */
export class MalformedXmlError extends Error {
  name = 'MalformedXmlError';
}

/**
 * Parses a request document into strings and objects, exactly as sent: values are never trimmed or turned into
 * numbers (a key " 007 " stays that), character references are decoded (the SDK writes CR and LF in keys as `&#x0D;`
 * and `&#x0A;`), and the elements named in `lists` (e.g. `Delete.Object`) are always arrays.
 * @throws MalformedXmlError when the document is not well-formed XML.
 */
export function parseXml(text: string, lists: readonly string[] = []): ParsedXml {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new MalformedXmlError(`${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    // XML's five entities and numeric character references; no document declares others.
    htmlEntities: true,
    isArray: (_name, path) => lists.includes(String(path)),
  });
  return parser.parse(text) as ParsedXml;
}

/** The text of a parsed element, or undefined when it is absent or has child elements. */
export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The children of a parsed element; an absent, empty or text-only element has none. */
export function childrenOf(value: unknown): ParsedXml {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ParsedXml) : {};
}

/** A parsed element that may repeat, as a list of elements (parse with its path in `lists` to keep one as a list). */
export function listOf(value: unknown): ParsedXml[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(childrenOf);
}
