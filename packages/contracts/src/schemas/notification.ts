// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { CHANNEL_NAMES } from './preferences';

/**
 * The messages of the notification queue that are not pipeline events: the digest the notifier queues for itself,
 * delayed to the end of a rate-limit window that held messages back (docs/contracts.md "Notifications").
 */
export const digestRequestSchema = z.strictObject({
  kind: z.literal('digest'),
  owner: z.string().min(1),
  channel: z.enum(CHANNEL_NAMES),
  /** The window's first second (epoch seconds). */
  windowStart: z.number().int().nonnegative(),
});

/** The SQS event Lambda's event source mapping delivers, as far as a consumer reads it. */
export const sqsEventSchema = z.object({
  Records: z.array(z.looseObject({ messageId: z.string(), body: z.string() }), { error: 'must be the Records of an SQS event' }),
});

export type DigestRequest = z.output<typeof digestRequestSchema>;
export type SqsEvent = z.output<typeof sqsEventSchema>;
