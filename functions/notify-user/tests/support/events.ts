import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EVENTS_DIR = join(__dirname, '..', '..', '..', '..', 'events', 'notify-user');

/** Loads an events/notify-user SQS batch, so tests use the same files as `npm run invoke`. */
export function loadSqsEvent(name: 'sqs-image-processed' | 'sqs-image-failed' | 'sqs-digest'): {
  Records: { messageId: string; body: string }[];
} {
  return JSON.parse(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8'));
}

/** The body of the first record of an events/notify-user batch, parsed. */
export function firstBody(name: 'sqs-image-processed' | 'sqs-image-failed' | 'sqs-digest'): any {
  return JSON.parse(loadSqsEvent(name).Records[0].body);
}
