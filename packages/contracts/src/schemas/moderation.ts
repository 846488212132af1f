// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { nonEmptyString, objectOf } from '../validation';
import { imageIdSchema, revisionSchema, sourceOrderSchema, timestampSchema } from './common';

/**
 * The moderation review (docs/contracts.md "Moderation review"): AnalyseImage marks an image for quarantine, the
 * state machine waits in AwaitReview for a decision through a task token, and ApplyReviewDecision carries it out.
 */

/** The longest reason a reviewer may give (it is stored on the audit item and shown in the console). */
export const REVIEW_REASON_MAX_LENGTH = 500;

/** A moderation label that put the image in quarantine. */
export const quarantineLabelSchema = z.object({
  name: nonEmptyString(),
  confidence: z.number().min(0).max(100),
  parentName: z.string().optional(),
});

/** AnalyseImage's verdict (summary.quarantine): the labels at or above the threshold it used. */
export const quarantineSchema = z.object({
  threshold: z.number().min(0).max(101),
  labels: z.array(quarantineLabelSchema).min(1),
});

/** The two outcomes of a review. */
export const REVIEW_DECISIONS = ['approve', 'reject'] as const;
export type ReviewDecisionName = (typeof REVIEW_DECISIONS)[number];

const reasonSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty: say why' })
  .max(REVIEW_REASON_MAX_LENGTH, { error: `must be at most ${REVIEW_REASON_MAX_LENGTH} characters` });

/** What a reviewer posts: POST /admin/reviews/{imageId}/decision. */
export const reviewRequestSchema = z.strictObject({
  decision: z.enum(REVIEW_DECISIONS, { error: 'must be "approve" or "reject"' }),
  reason: reasonSchema,
});

/**
 * A decision as the state machine receives it (the SendTaskSuccess output, or the timeout default's Pass state):
 * who decided (a reviewer's sub, or `system:timeout`), when, and why.
 */
export const reviewDecisionSchema = objectOf({
  decision: z.enum(REVIEW_DECISIONS, { error: 'must be "approve" or "reject"' }),
  reason: reasonSchema,
  decidedBy: nonEmptyString(),
  /** The reviewer's user name, for people reading the audit (decidedBy is the stable sub). */
  decidedByName: z.string().max(256).optional(),
  /** Absent on the timeout default: ApplyReviewDecision records its own time then. */
  decidedAt: timestampSchema.optional(),
});

/** The caller that decided when the review timed out (the template's ReviewTimeoutDecision). */
export const REVIEW_TIMEOUT_DECIDER = 'system:timeout';

/** RequestReview's input (the AwaitReview state's Payload): the token and the image it is for. */
export const requestReviewInputSchema = objectOf({
  action: z.literal('requestReview'),
  taskToken: nonEmptyString().max(2048),
  imageId: imageIdSchema,
  revision: revisionSchema,
  owner: nonEmptyString(),
  /** Decides which upload revision may hold the image's review item. */
  sourceOrder: sourceOrderSchema,
  quarantine: quarantineSchema,
  timeoutSeconds: z.number().int().min(1),
});

/** ApplyReviewDecision's input: the image, its quarantine verdict and the decision (`$.review`). */
export const applyDecisionInputSchema = objectOf({
  action: z.literal('applyDecision'),
  imageId: imageIdSchema,
  revision: revisionSchema,
  owner: nonEmptyString(),
  quarantine: quarantineSchema,
  review: reviewDecisionSchema,
});

/**
 * RecordReviewFailure's input: AwaitReview or ApplyReviewDecision failed after their retries. The review item becomes
 * FAILED (kept in the admins' queue, token dropped) with the error and the run to re-run; the image stays withheld.
 */
export const recordReviewFailureInputSchema = objectOf({
  action: z.literal('recordReviewFailure'),
  imageId: imageIdSchema,
  revision: revisionSchema,
  owner: nonEmptyString(),
  /** The Catch's error output: `{ Error, Cause }`. */
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }),
  /** The decision that was being applied (`$.review`); empty when the wait itself failed. */
  review: z.object({ decision: z.string().optional(), decidedBy: z.string().optional(), reason: z.string().optional() }),
  executionName: nonEmptyString().max(80),
});

/** Which of ModerationReviewFunction's jobs a state asks for. */
export const reviewActionSchema = objectOf({
  action: z.enum(['requestReview', 'applyDecision', 'recordReviewFailure'], {
    error: 'must be requestReview, applyDecision or recordReviewFailure',
  }),
});

export type QuarantineLabel = z.output<typeof quarantineLabelSchema>;
export type Quarantine = z.output<typeof quarantineSchema>;
export type ReviewRequest = z.output<typeof reviewRequestSchema>;
export type ReviewDecision = z.output<typeof reviewDecisionSchema>;
export type RequestReviewInput = z.output<typeof requestReviewInputSchema>;
export type ApplyDecisionInput = z.output<typeof applyDecisionInputSchema>;
export type RecordReviewFailureInput = z.output<typeof recordReviewFailureInputSchema>;
