import { compareKeys, type ObjectVersion } from './store';

/** One listing page: objects and common prefixes in key order, and where the next page starts. */
export interface ListingPage {
  contents: { key: string; version: ObjectVersion }[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Last key or common prefix on this page. */
  last?: { value: string; isPrefix: boolean };
}

/** Where a listing resumes: after a key, or after every key under a common prefix. */
export interface ListingCursor {
  after: string;
  skipPrefix?: boolean;
}

/** Pages through sorted objects the way ListObjects(V2) does: prefix, delimiter roll-up and max-keys. */
export function listPage(
  entries: { key: string; version: ObjectVersion }[],
  options: { prefix: string; delimiter: string; maxKeys: number; cursor?: ListingCursor },
): ListingPage {
  const page: ListingPage = { contents: [], commonPrefixes: [], isTruncated: false };
  const { prefix, delimiter, maxKeys, cursor } = options;
  let count = 0;
  for (const entry of entries) {
    if (!entry.key.startsWith(prefix)) continue;
    if (cursor && compareKeys(entry.key, cursor.after) <= 0) continue;
    if (cursor?.skipPrefix && entry.key.startsWith(cursor.after)) continue;
    const rest = entry.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    if (cut >= 0) {
      const common = prefix + rest.slice(0, cut + delimiter.length);
      if (page.commonPrefixes.at(-1) === common) continue;
      if (count === maxKeys) {
        page.isTruncated = true;
        break;
      }
      page.commonPrefixes.push(common);
      page.last = { value: common, isPrefix: true };
    } else {
      if (count === maxKeys) {
        page.isTruncated = true;
        break;
      }
      page.contents.push(entry);
      page.last = { value: entry.key, isPrefix: false };
    }
    count += 1;
  }
  return page;
}

/** Opaque continuation token for ListObjectsV2. */
export function encodeCursor(cursor: ListingCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** Reads a continuation token; undefined when it was not made here. */
export function decodeCursor(token: string): ListingCursor | undefined {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ListingCursor;
    return typeof cursor.after === 'string' ? cursor : undefined;
  } catch {
    return undefined;
  }
}
