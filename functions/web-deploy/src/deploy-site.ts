import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { SiteConfig } from './custom-resource';

/** What the deploy core works with, passed in so tests can replace it. */
export interface DeploySiteDeps {
  readonly s3: Pick<S3Client, 'send'>;
  readonly bucket: string;
  readonly siteDir: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Files whose name holds a content hash never change, so browsers and CloudFront may keep them for a year. */
const HASHED = /-[A-Z0-9]{8,}\.[a-z0-9]+$/i;

/** The Cache-Control a site file is served with: immutable when its name is content-hashed, revalidated otherwise. */
export function cacheControlFor(key: string): string {
  return HASHED.test(key) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The content type of a site file, by extension. */
export function contentTypeFor(key: string): string {
  return CONTENT_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
}

async function siteFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

async function listKeys(deps: DeploySiteDeps): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await deps.s3.send(new ListObjectsV2Command({ Bucket: deps.bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((entry) => entry.Key ?? '').filter(Boolean));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * Writes every file of the built console, then config.json, then deletes what an older deploy left behind (after
 * the new files are in place, so a browser that loaded the old index.html can still fetch its assets meanwhile).
 * @returns the keys written.
 * @throws the S3 error of a failed write or delete.
 */
export async function deploySite(config: SiteConfig, deps: DeploySiteDeps): Promise<string[]> {
  const files = await siteFiles(deps.siteDir);
  if (!files.includes('index.html')) throw new Error(`The built console in ${deps.siteDir} has no index.html`);
  const uploads: Array<{ key: string; body: Buffer | string }> = [];
  for (const file of files) if (file !== 'config.json') uploads.push({ key: file, body: await readFile(join(deps.siteDir, file)) });
  uploads.push({ key: 'config.json', body: `${JSON.stringify(config, null, 2)}\n` });
  for (const { key, body } of uploads) {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.bucket,
        Key: key,
        Body: body,
        ContentType: contentTypeFor(key),
        CacheControl: cacheControlFor(key),
      }),
    );
  }
  const written = new Set(uploads.map(({ key }) => key));
  for (const key of await listKeys(deps))
    if (!written.has(key)) await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.bucket, Key: key }));
  return [...written];
}

/** Deletes every file of the site, so CloudFormation can delete the bucket with the stack. @returns how many were deleted. */
export async function deleteSite(deps: DeploySiteDeps): Promise<number> {
  const keys = await listKeys(deps);
  for (const key of keys) await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.bucket, Key: key }));
  return keys.length;
}
