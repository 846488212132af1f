import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EVENTS_DIR = join(__dirname, '..', '..', '..', '..', '..', 'events', 'store-metadata');

/** Loads an events/store-metadata payload, so tests use the same files as `npm run invoke`. */
export function loadStoreEvent<T = Record<string, unknown>>(name: 'success' | 'success-no-analysis' | 'record-failure'): T {
  return JSON.parse(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8')) as T;
}
