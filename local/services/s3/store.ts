import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from './atomic-file';
import type { StoredChecksum } from './checksums';
import { AwsServiceError } from '../../edge/aws-error';
import { noSuchBucket, noSuchKey } from './errors';
import type { ObjectRemovedEventName } from './event-record';

/** One stored version of an object (or a delete marker). */
export interface ObjectVersion {
  /** "null" when the bucket was not versioned at write time, as S3 reports it. */
  versionId: string;
  deleteMarker?: boolean;
  /** File name under the bucket's blobs/ folder; never derived from the key. */
  blob?: string;
  size: number;
  /** Without quotes. */
  etag: string;
  lastModified: string;
  contentType?: string;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires as sent. */
  systemHeaders: Record<string, string>;
  /** User metadata (x-amz-meta-*), names lower-cased and without the prefix. */
  metadata: Record<string, string>;
  /** Object tags (x-amz-tagging), which lifecycle rules can select on. */
  tags?: Record<string, string>;
  checksum?: StoredChecksum;
  sequencer: string;
  partsCount?: number;
}

/** A bucket's settings. */
export interface BucketInfo {
  name: string;
  createdAt: string;
  versioning?: 'Enabled' | 'Suspended';
}

interface KeyRecord {
  key: string;
  /** Newest first. */
  versions: ObjectVersion[];
}

interface BucketState {
  info: BucketInfo;
  keys: Map<string, KeyRecord>;
  /** Keys in S3 order, rebuilt only after a key is added or removed (listing is frequent, new keys are not). */
  sortedKeys?: string[];
}

/** What a new object version carries besides its bytes. */
export interface NewObjectAttributes {
  contentType?: string;
  systemHeaders?: Record<string, string>;
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  checksum?: StoredChecksum;
  etag: string;
  partsCount?: number;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Persistent object store under <dataDir>/s3. Keys are never used as paths: each key's record lives in
 * keys/<sha256(key)>.json and each version's bytes in blobs/<uuid>, so no key ("../", "/etc", NUL) can leave the folder.
 * An in-memory index (loaded at open) answers listings.
 */
/** What a DeleteObject did, and the ObjectRemoved event it gives (none when nothing was deleted). */
export interface DeleteResult {
  versionId?: string;
  deleteMarker: boolean;
  removed?: { eventName: ObjectRemovedEventName; sequencer: string };
}

export class S3Store {
  private readonly buckets = new Map<string, BucketState>();
  private readonly keyLocks = new Map<string, Promise<unknown>>();
  private lastSequencer = 0n;
  private sequencerWrite: Promise<void> = Promise.resolve();

  private constructor(readonly root: string) {}

  /** Opens (or creates) the store and loads its index. */
  static async open(root: string): Promise<S3Store> {
    const store = new S3Store(root);
    await mkdir(join(root, 'buckets'), { recursive: true });
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    try {
      const state = JSON.parse(await readFile(join(this.root, 'state.json'), 'utf8')) as { sequencer: string };
      this.lastSequencer = BigInt(`0x${state.sequencer}`);
    } catch {
      this.lastSequencer = 0n;
    }
    for (const name of await readdir(join(this.root, 'buckets'))) {
      const folder = join(this.root, 'buckets', name);
      let info: BucketInfo;
      try {
        info = JSON.parse(await readFile(join(folder, 'bucket.json'), 'utf8')) as BucketInfo;
      } catch {
        continue;
      }
      const keys = new Map<string, KeyRecord>();
      for (const file of await readdir(join(folder, 'keys'))) {
        if (!file.endsWith('.json')) continue;
        const record = JSON.parse(await readFile(join(folder, 'keys', file), 'utf8')) as KeyRecord;
        keys.set(record.key, record);
      }
      this.buckets.set(name, { info, keys });
    }
  }

  /**
   * Creates a bucket; creating one that exists is a no-op that may change nothing but versioning when asked.
   * @throws AwsServiceError InvalidBucketName.
   */
  async createBucket(name: string, versioning?: 'Enabled' | 'Suspended'): Promise<{ created: boolean }> {
    if (!BUCKET_NAME.test(name) || name.includes('..')) {
      throw new AwsServiceError('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
    }
    const existing = this.buckets.get(name);
    if (existing) {
      if (versioning && existing.info.versioning !== versioning) await this.setVersioning(name, versioning);
      return { created: false };
    }
    const folder = this.bucketFolder(name);
    await mkdir(join(folder, 'keys'), { recursive: true });
    await mkdir(join(folder, 'blobs'), { recursive: true });
    const info: BucketInfo = { name, createdAt: new Date().toISOString(), ...(versioning ? { versioning } : {}) };
    await writeFileAtomic(join(folder, 'bucket.json'), JSON.stringify(info));
    this.buckets.set(name, { info, keys: new Map() });
    return { created: true };
  }

  /** Deletes an empty bucket. @throws AwsServiceError NoSuchBucket, BucketNotEmpty. */
  async deleteBucket(name: string): Promise<void> {
    const bucket = this.bucket(name);
    if (bucket.keys.size > 0)
      throw new AwsServiceError('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: name });
    this.buckets.delete(name);
    await rm(this.bucketFolder(name), { recursive: true, force: true });
  }

  /** Turns versioning on or suspends it. @throws AwsServiceError NoSuchBucket. */
  async setVersioning(name: string, versioning: 'Enabled' | 'Suspended'): Promise<void> {
    const bucket = this.bucket(name);
    bucket.info = { ...bucket.info, versioning };
    await writeFileAtomic(join(this.bucketFolder(name), 'bucket.json'), JSON.stringify(bucket.info));
  }

  /** The bucket's settings. @throws AwsServiceError NoSuchBucket. */
  bucketInfo(name: string): BucketInfo {
    return this.bucket(name).info;
  }

  /** All buckets, by name. */
  listBuckets(): BucketInfo[] {
    return [...this.buckets.values()].map((bucket) => bucket.info).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A fresh path for a blob of the bucket, to be filled and then committed with putVersion. */
  newBlobPath(bucketName: string): { blob: string; path: string } {
    this.bucket(bucketName);
    const blob = randomUUID();
    return { blob, path: join(this.bucketFolder(bucketName), 'blobs', blob) };
  }

  /** Absolute path of a version's bytes. */
  blobPath(bucketName: string, version: ObjectVersion): string {
    return join(this.bucketFolder(bucketName), 'blobs', version.blob ?? '');
  }

  /** Stores bytes as a new version. @throws AwsServiceError NoSuchBucket. */
  async putObject(bucketName: string, key: string, bytes: Buffer, attributes: NewObjectAttributes): Promise<ObjectVersion> {
    const { blob, path } = this.newBlobPath(bucketName);
    await writeFileAtomic(path, bytes);
    return this.commitVersion(bucketName, key, blob, bytes.length, attributes);
  }

  /** Concatenates files (multipart parts, or a copy source) into a new version without loading them whole. */
  async putObjectFromFiles(
    bucketName: string,
    key: string,
    files: { path: string; start?: number; end?: number }[],
    size: number,
    attributes: NewObjectAttributes,
  ): Promise<ObjectVersion> {
    const { blob, path } = this.newBlobPath(bucketName);
    const temporary = `${path}.tmp`;
    const out = createWriteStream(temporary);
    for (const file of files) {
      await pipeline(createReadStream(file.path, { start: file.start, end: file.end }), out, { end: false });
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    await rename(temporary, path);
    return this.commitVersion(bucketName, key, blob, size, attributes);
  }

  private async commitVersion(
    bucketName: string,
    key: string,
    blob: string,
    size: number,
    attributes: NewObjectAttributes,
  ): Promise<ObjectVersion> {
    return this.withKeyLock(bucketName, key, async () => {
      const bucket = this.bucket(bucketName);
      const versioned = bucket.info.versioning === 'Enabled';
      const version: ObjectVersion = {
        versionId: versioned ? newVersionId() : 'null',
        blob,
        size,
        etag: attributes.etag,
        lastModified: new Date().toISOString(),
        contentType: attributes.contentType,
        systemHeaders: attributes.systemHeaders ?? {},
        metadata: attributes.metadata ?? {},
        ...(attributes.tags && Object.keys(attributes.tags).length > 0 ? { tags: attributes.tags } : {}),
        checksum: attributes.checksum,
        sequencer: await this.nextSequencer(),
        ...(attributes.partsCount ? { partsCount: attributes.partsCount } : {}),
      };
      const record = bucket.keys.get(key) ?? { key, versions: [] };
      const replaced = record.versions.filter((old) => old.versionId === 'null');
      const versions = [version, ...record.versions.filter((old) => old.versionId !== 'null')];
      await this.saveRecord(bucketName, { key, versions });
      await this.dropBlobs(bucketName, replaced);
      return version;
    });
  }

  /**
   * Finds the current version (or the named one) of a key.
   * @throws AwsServiceError NoSuchBucket, NoSuchKey (with x-amz-delete-marker when the newest is a marker), NoSuchVersion.
   */
  getVersion(bucketName: string, key: string, versionId?: string): ObjectVersion {
    const record = this.bucket(bucketName).keys.get(key);
    if (versionId !== undefined) {
      const version = record?.versions.find((candidate) => candidate.versionId === versionId);
      if (!version) {
        throw new AwsServiceError('NoSuchVersion', 404, 'The specified version does not exist.', { Key: key, VersionId: versionId });
      }
      if (version.deleteMarker) {
        throw new AwsServiceError(
          'MethodNotAllowed',
          405,
          'The specified method is not allowed against this resource.',
          {},
          { 'x-amz-delete-marker': 'true' },
        );
      }
      return version;
    }
    const latest = record?.versions[0];
    if (!latest) throw noSuchKey(key);
    if (latest.deleteMarker) {
      throw noSuchKey(key).withHeaders({ 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId });
    }
    return latest;
  }

  /**
   * Deletes a key (a delete marker when versioned) or one version of it. `removed` names the event S3 sends for it,
   * with the deletion's own sequencer; it is absent when nothing was there to delete.
   * @throws AwsServiceError NoSuchBucket.
   */
  async deleteObject(bucketName: string, key: string, versionId?: string): Promise<DeleteResult> {
    return this.withKeyLock(bucketName, key, async () => {
      const bucket = this.bucket(bucketName);
      const record = bucket.keys.get(key);
      if (versionId !== undefined) {
        const version = record?.versions.find((candidate) => candidate.versionId === versionId);
        if (!record || !version) return { versionId, deleteMarker: false };
        await this.saveRecord(bucketName, { key, versions: record.versions.filter((candidate) => candidate !== version) });
        await this.dropBlobs(bucketName, [version]);
        return {
          versionId,
          deleteMarker: Boolean(version.deleteMarker),
          removed: { eventName: 'ObjectRemoved:Delete', sequencer: await this.nextSequencer() },
        };
      }
      if (bucket.info.versioning === 'Enabled') {
        const marker: ObjectVersion = {
          versionId: newVersionId(),
          deleteMarker: true,
          size: 0,
          etag: '',
          lastModified: new Date().toISOString(),
          systemHeaders: {},
          metadata: {},
          sequencer: await this.nextSequencer(),
        };
        await this.saveRecord(bucketName, { key, versions: [marker, ...(record?.versions ?? [])] });
        return {
          versionId: marker.versionId,
          deleteMarker: true,
          removed: { eventName: 'ObjectRemoved:DeleteMarkerCreated', sequencer: marker.sequencer },
        };
      }
      if (!record) return { deleteMarker: false };
      const nullVersions = record.versions.filter((candidate) => candidate.versionId === 'null');
      await this.saveRecord(bucketName, { key, versions: record.versions.filter((candidate) => candidate.versionId !== 'null') });
      await this.dropBlobs(bucketName, nullVersions);
      return {
        deleteMarker: false,
        ...(nullVersions.length > 0 ? { removed: { eventName: 'ObjectRemoved:Delete', sequencer: await this.nextSequencer() } } : {}),
      };
    });
  }

  /** True when the key has a current version that is not a delete marker. @throws AwsServiceError NoSuchBucket. */
  hasCurrent(bucketName: string, key: string): boolean {
    const latest = this.bucket(bucketName).keys.get(key)?.versions[0];
    return Boolean(latest && !latest.deleteMarker);
  }

  /** Current (not deleted) objects of a bucket in S3's order: by the UTF-8 bytes of the key. @throws AwsServiceError NoSuchBucket. */
  listCurrent(bucketName: string): { key: string; version: ObjectVersion }[] {
    const bucket = this.bucket(bucketName);
    bucket.sortedKeys ??= [...bucket.keys.keys()].sort(compareKeys);
    const entries: { key: string; version: ObjectVersion }[] = [];
    for (const key of bucket.sortedKeys) {
      const latest = bucket.keys.get(key)?.versions[0];
      if (latest && !latest.deleteMarker) entries.push({ key, version: latest });
    }
    return entries;
  }

  /** Every version of every key, newest first within a key. @throws AwsServiceError NoSuchBucket. */
  listAllVersions(bucketName: string): { key: string; versions: ObjectVersion[] }[] {
    return [...this.bucket(bucketName).keys.values()]
      .map((record) => ({ key: record.key, versions: record.versions }))
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  /**
   * Next event sequencer: strictly increasing, persisted so it keeps increasing across restarts,
   * and never behind the clock, so a lost state file cannot make it go back.
   */
  async nextSequencer(): Promise<string> {
    const clock = BigInt(Date.now()) * 1_000_000n;
    this.lastSequencer = this.lastSequencer + 1n > clock ? this.lastSequencer + 1n : clock;
    const value = this.lastSequencer.toString(16).toUpperCase().padStart(18, '0');
    this.sequencerWrite = this.sequencerWrite.then(() =>
      writeFileAtomic(join(this.root, 'state.json'), JSON.stringify({ sequencer: this.lastSequencer.toString(16).toUpperCase() })),
    );
    await this.sequencerWrite;
    return value;
  }

  private bucket(name: string): BucketState {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  private bucketFolder(name: string): string {
    return join(this.root, 'buckets', name);
  }

  private async saveRecord(bucketName: string, record: KeyRecord): Promise<void> {
    const bucket = this.bucket(bucketName);
    const file = join(this.bucketFolder(bucketName), 'keys', `${hashKey(record.key)}.json`);
    if (record.versions.length === 0) {
      await unlink(file).catch(() => undefined);
      bucket.keys.delete(record.key);
      bucket.sortedKeys = undefined;
      return;
    }
    await writeFileAtomic(file, JSON.stringify(record));
    if (!bucket.keys.has(record.key)) bucket.sortedKeys = undefined;
    bucket.keys.set(record.key, record);
  }

  private async dropBlobs(bucketName: string, versions: ObjectVersion[]): Promise<void> {
    for (const version of versions) {
      if (version.blob) await unlink(this.blobPath(bucketName, version)).catch(() => undefined);
    }
  }

  /** Serialises writes to one key, so two concurrent PUTs cannot lose each other's version list. */
  private async withKeyLock<T>(bucketName: string, key: string, work: () => Promise<T>): Promise<T> {
    const id = `${bucketName}\u0000${key}`;
    const previous = this.keyLocks.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.keyLocks.set(id, next);
    try {
      return await next;
    } finally {
      if (this.keyLocks.get(id) === next) this.keyLocks.delete(id);
    }
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/** S3 lists keys in UTF-8 byte order, which differs from UTF-16 order for characters above U+FFFF. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
