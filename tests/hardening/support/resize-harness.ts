import { loadConfig } from '../../../functions/resize-image/src/config';
import { resizeImage } from '../../../functions/resize-image/src/resize-image';
import type { ObjectStore, OpenedObject, PutRequest, ResizeOutput, ResizeSettings } from '../../../functions/resize-image/src/types';

export const UPLOADS_BUCKET = 'hardening-uploads';
export const PROCESSED_BUCKET = 'hardening-processed';

/** The settings template.yaml gives ResizeImageFunction by default (docs/contracts.md, "Environment variables"). */
export const DEFAULT_SETTINGS: ResizeSettings = loadConfig({ PROCESSED_BUCKET_NAME: PROCESSED_BUCKET });

/** One upload in memory and every object the resizer writes; the upload is never removed. */
export class SingleUploadStore implements ObjectStore {
  readonly puts: PutRequest[] = [];

  constructor(
    readonly key: string,
    readonly body: Buffer,
  ) {}

  async getObject(): Promise<OpenedObject> {
    return {
      contentLength: this.body.length,
      metadata: {},
      readHead: async (bytes) => this.body.subarray(0, bytes),
      readBody: async () => this.body,
      discard: () => undefined,
    };
  }

  async putObject(put: PutRequest): Promise<void> {
    this.puts.push(put);
  }
}

/** How one resize ended: its output, or the error's name and message, or "hang" past the timeout. */
export type ResizeOutcome =
  | { kind: 'succeeded'; output: ResizeOutput; store: SingleUploadStore }
  | { kind: 'failed'; name: string; message: string; store: SingleUploadStore }
  | { kind: 'hang'; store: SingleUploadStore };

/** Runs the real resize core on `body` and settles within `timeoutMs` (the function's Timeout), whatever happens. */
export async function resizeOnce(body: Buffer, settings: Partial<ResizeSettings> = {}, timeoutMs = 120_000): Promise<ResizeOutcome> {
  const store = new SingleUploadStore('uploads/hardening.bin', body);
  const input = {
    imageId: '0123456789abcdef0123456789abcdef',
    revision: 'fedcba9876543210',
    source: { bucket: UPLOADS_BUCKET, key: store.key, versionId: null, sourceOrder: '0000000000000000000000000000000A' },
  };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<ResizeOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang', store }), timeoutMs);
  });
  const run = resizeImage(input, { store, settings: { ...DEFAULT_SETTINGS, ...settings } }).then(
    (output): ResizeOutcome => ({ kind: 'succeeded', output, store }),
    (error: Error): ResizeOutcome => ({
      kind: 'failed',
      name: error?.name ?? typeof error,
      message: String(error?.message ?? error),
      store,
    }),
  );
  try {
    return await Promise.race([run, hang]);
  } finally {
    clearTimeout(timer);
  }
}
