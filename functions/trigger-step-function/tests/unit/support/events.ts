import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EVENTS_DIR = join(__dirname, '..', '..', '..', '..', '..', 'events');

/** Loads a canonical payload from events/<fn>/<name>.json, so tests use the same files as `npm run invoke`. */
export function loadEvent<T = unknown>(fn: string, name: string): T {
  return JSON.parse(readFileSync(join(EVENTS_DIR, fn, `${name}.json`), 'utf8')) as T;
}

/** Loads an events/trigger-step-function payload. */
export function loadTriggerEvent<T = unknown>(name: string): T {
  return loadEvent<T>('trigger-step-function', name);
}
