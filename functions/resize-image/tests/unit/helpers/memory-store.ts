import { ImageTooLargeError, SourceNotFoundError } from '../../../src/errors';
import type { ObjectStore, OpenedObject, PutRequest } from '../../../src/types';

export interface StoredObject {
  body: Buffer;
  metadata?: Record<string, string>;
  /** Overrides the reported ContentLength (to test the check before the body is read). */
  contentLength?: number;
}

/** An in-memory S3 stand-in for the core: objects by bucket/key(/version), puts recorded. */
export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  readonly puts = new Map<string, PutRequest>();
  bodiesRead = 0;

  add(bucket: string, key: string, object: StoredObject, versionId: string | null = null): void {
    this.objects.set(this.id(bucket, key, versionId), object);
  }

  put(bucket: string, key: string): PutRequest | undefined {
    return this.puts.get(`${bucket}/${key}`);
  }

  async getObject(ref: { bucket: string; key: string; versionId: string | null }): Promise<OpenedObject> {
    const object = this.objects.get(this.id(ref.bucket, ref.key, ref.versionId));
    if (!object) throw new SourceNotFoundError(`${ref.bucket}/${ref.key} does not exist`);
    return {
      contentLength: object.contentLength ?? object.body.length,
      metadata: object.metadata ?? {},
      readHead: async (bytes) => object.body.subarray(0, bytes),
      readBody: async (maxBytes) => {
        this.bodiesRead += 1;
        if (object.body.length > maxBytes) throw new ImageTooLargeError('body over the limit');
        return object.body;
      },
      discard: () => undefined,
    };
  }

  async putObject(put: PutRequest): Promise<void> {
    this.puts.set(`${put.bucket}/${put.key}`, put);
  }

  private id(bucket: string, key: string, versionId: string | null): string {
    return `${bucket}/${key}#${versionId ?? ''}`;
  }
}
