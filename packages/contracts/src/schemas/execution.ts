// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { objectOf } from '../validation';
import {
  bucketSchema,
  imageIdSchema,
  keySchema,
  ownerSchema,
  revisionSchema,
  sequencerSchema,
  sourceOrderSchema,
  timestampSchema,
  versionIdSchema,
} from './common';

/** The uploaded object as the state machine receives it (docs/contracts.md "State machine input"). */
export const executionSourceSchema = objectOf({
  bucket: bucketSchema,
  key: keySchema,
  versionId: versionIdSchema,
  size: z.number({ error: 'must be a byte count' }).int({ error: 'must be a byte count' }).nonnegative({ error: 'must be a byte count' }),
  eTag: z.string({ error: 'must be a string or null' }).nullable(),
  sequencer: sequencerSchema,
  sourceOrder: sourceOrderSchema,
});

/** The state machine input that TriggerStepFunctionFunction sends with StartExecution. */
export const executionInputSchema = objectOf({
  imageId: imageIdSchema,
  revision: revisionSchema,
  owner: ownerSchema,
  source: executionSourceSchema,
  receivedAt: timestampSchema,
});

export type ExecutionSource = z.output<typeof executionSourceSchema>;
export type ExecutionInput = z.output<typeof executionInputSchema>;
