import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import type { ResizeInput, ResizeSettings } from '../../../src/types';
import { MemoryStore, type StoredObject } from './memory-store';

export const FIXTURES = join(__dirname, '../../../../../tests/fixtures/images');
export const EVENTS = join(__dirname, '../../../../../events/resize-image');

export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

export const UPLOADS = 'uploads-bucket';
export const PROCESSED = 'processed-bucket';

/** The function's default settings (read by its own config reader), with overrides. */
export const settings = (overrides: Partial<ResizeSettings> = {}): ResizeSettings => ({
  ...loadConfig({ PROCESSED_BUCKET_NAME: PROCESSED }),
  ...overrides,
});

let counter = 0;

/** A store holding one upload, and the state machine input that points at it. */
export function upload(body: Buffer, object: Omit<StoredObject, 'body'> = {}): { store: MemoryStore; input: ResizeInput } {
  const store = new MemoryStore();
  const key = `uploads/test-${counter++}.bin`;
  store.add(UPLOADS, key, { body, ...object });
  const input: ResizeInput = {
    imageId: '0123456789abcdef0123456789abcdef',
    revision: 'fedcba9876543210',
    source: { bucket: UPLOADS, key, versionId: null, sourceOrder: '0000000000000000000000000000000A' },
    receivedAt: '2026-11-25T12:00:00.000Z',
  };
  return { store, input };
}
