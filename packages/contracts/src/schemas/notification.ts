// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { imageIdSchema } from './common';

/** The SNS message of Notify and NotifyFailure, composed by the state machine (docs/contracts.md "Notification"). */
export const notificationSchema = z.object({
  type: z.enum(['ImageProcessed', 'ImageFailed']),
  imageId: imageIdSchema,
  status: z.enum(['SUCCEEDED', 'FAILED']),
  source: z.object({ bucket: z.string(), key: z.string() }),
  executionArn: z.string(),
  labels: z.array(z.string()),
  error: z.object({ name: z.string(), cause: z.string() }).nullable(),
});

export type Notification = z.output<typeof notificationSchema>;
