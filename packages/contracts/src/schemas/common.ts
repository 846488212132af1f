// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { IMAGE_ID_PATTERN, PERCEPTUAL_HASH_PATTERN, REVISION_PATTERN, SEQUENCER_PATTERN, SOURCE_ORDER_PATTERN } from '../ids';
import { OWNER_PATTERN } from '../owner';
import { matching, nonEmptyString } from '../validation';

/** The field schemas every step payload uses. Ids are strict because they become parts of keys. */
export const imageIdSchema = matching(IMAGE_ID_PATTERN, 'must be 32 lowercase hex');
export const revisionSchema = matching(REVISION_PATTERN, 'must be 16 lowercase hex');
export const sequencerSchema = matching(SEQUENCER_PATTERN, 'must be 1-32 hex digits');
/** Upper-cased, so revisions of one key compare as strings. */
export const sourceOrderSchema = matching(SOURCE_ORDER_PATTERN, 'must be 32 hex').transform((value) => value.toUpperCase());
/** Lower-cased 64-bit dHash; absent or null when there is none. */
export const perceptualHashSchema = matching(PERCEPTUAL_HASH_PATTERN, 'must be 16 hex').transform((value) => value.toLowerCase());
/** The image's owner: a Cognito sub, or `unowned` (docs/contracts.md "Ownership"). */
export const ownerSchema = matching(OWNER_PATTERN, 'must be a Cognito sub (lower-case UUID) or "unowned"');
export const bucketSchema = nonEmptyString();
export const keySchema = nonEmptyString();
/** S3 versionId; absent means null (unversioned bucket, or an object the pipeline wrote). */
export const versionIdSchema = z
  .string({ error: 'must be a string or null' })
  .nullish()
  .transform((value) => value ?? null);
/** An ISO timestamp (anything Date.parse reads). */
export const timestampSchema = z
  .string({ error: 'must be a timestamp' })
  .refine((value) => !Number.isNaN(Date.parse(value)), { error: 'must be a timestamp' });
/** `$$.Execution.Id`, passed for logs only. */
export const executionArnSchema = nonEmptyString('must be a string when given').optional();
