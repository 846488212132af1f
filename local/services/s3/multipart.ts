import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file';
import type { ChecksumAlgorithm, StoredChecksum } from './checksums';
import { AwsServiceError } from '../../edge/aws-error';

/** A multipart upload in progress, as CreateMultipartUpload described it. */
export interface MultipartUpload {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
  contentType?: string;
  systemHeaders: Record<string, string>;
  metadata: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
}

/** One uploaded part. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  checksum?: StoredChecksum;
}

const UPLOAD_ID = /^[A-Za-z0-9_-]{32}$/;

/** Persistent multipart uploads under <dataDir>/s3/multipart/<uploadId>/ (upload ids are generated, never taken from paths). */
export class MultipartStore {
  constructor(private readonly root: string) {}

  /** Starts an upload and returns it. */
  async create(upload: Omit<MultipartUpload, 'uploadId' | 'initiated'>): Promise<MultipartUpload> {
    const created: MultipartUpload = { ...upload, uploadId: randomBytes(24).toString('base64url'), initiated: new Date().toISOString() };
    await mkdir(this.folder(created.uploadId), { recursive: true });
    await writeFileAtomic(join(this.folder(created.uploadId), 'upload.json'), JSON.stringify(created));
    return created;
  }

  /** Loads an upload, checking it belongs to the bucket and key. @throws AwsServiceError NoSuchUpload. */
  async get(uploadId: string, bucket: string, key: string): Promise<MultipartUpload> {
    const missing = new AwsServiceError(
      'NoSuchUpload',
      404,
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    );
    if (!UPLOAD_ID.test(uploadId)) throw missing;
    try {
      const upload = JSON.parse(await readFile(join(this.folder(uploadId), 'upload.json'), 'utf8')) as MultipartUpload;
      if (upload.bucket !== bucket || upload.key !== key) throw missing;
      return upload;
    } catch (error) {
      if (error instanceof AwsServiceError) throw error;
      throw missing;
    }
  }

  /** Stores one part (replacing an earlier upload of the same number). */
  async putPart(uploadId: string, part: Omit<UploadedPart, 'lastModified'>, bytes: Buffer): Promise<UploadedPart> {
    const stored: UploadedPart = { ...part, lastModified: new Date().toISOString() };
    await writeFileAtomic(this.partPath(uploadId, part.partNumber), bytes);
    await writeFileAtomic(join(this.folder(uploadId), `part-${part.partNumber}.json`), JSON.stringify(stored));
    return stored;
  }

  /** Path of a part's bytes. */
  partPath(uploadId: string, partNumber: number): string {
    return join(this.folder(uploadId), `part-${partNumber}.bin`);
  }

  /** The upload's parts by number. */
  async listParts(uploadId: string): Promise<UploadedPart[]> {
    const files = (await readdir(this.folder(uploadId))).filter((file) => /^part-\d+\.json$/.test(file));
    const parts = await Promise.all(
      files.map(async (file) => JSON.parse(await readFile(join(this.folder(uploadId), file), 'utf8')) as UploadedPart),
    );
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Uploads in progress for a bucket. */
  async listUploads(bucket: string): Promise<MultipartUpload[]> {
    const ids = await readdir(this.root).catch(() => [] as string[]);
    const uploads: MultipartUpload[] = [];
    for (const id of ids) {
      try {
        const upload = JSON.parse(await readFile(join(this.folder(id), 'upload.json'), 'utf8')) as MultipartUpload;
        if (upload.bucket === bucket) uploads.push(upload);
      } catch {
        // A folder without upload.json is an upload being created or removed.
      }
    }
    return uploads.sort((a, b) => (a.key === b.key ? a.initiated.localeCompare(b.initiated) : a.key < b.key ? -1 : 1));
  }

  /** Removes an upload and its parts (after Complete or Abort). */
  async remove(uploadId: string): Promise<void> {
    if (UPLOAD_ID.test(uploadId)) await rm(this.folder(uploadId), { recursive: true, force: true });
  }

  private folder(uploadId: string): string {
    return join(this.root, uploadId);
  }
}
