import {
  applyDecisionInputSchema,
  parseWith,
  recordReviewFailureInputSchema,
  requestReviewInputSchema,
  reviewActionSchema,
  type ApplyDecisionInput,
  type RecordReviewFailureInput,
  type RequestReviewInput,
} from '@smart-image-pipeline/contracts';
import { InvalidReviewInputError } from './errors';

/** A validated request to the function. */
export type ReviewRequestEvent =
  | { action: 'requestReview'; input: RequestReviewInput }
  | { action: 'applyDecision'; input: ApplyDecisionInput }
  | { action: 'recordReviewFailure'; input: RecordReviewFailureInput };

const invalid = (problems: string[]) => new InvalidReviewInputError(`Invalid ModerationReview input: ${problems.join('; ')}`);

/**
 * Tells the function's jobs apart and validates the payload against the contracts' schemas.
 * @throws InvalidReviewInputError naming every field that breaks docs/contracts.md.
 */
export function parseReviewEvent(event: unknown): ReviewRequestEvent {
  const { action } = parseWith(reviewActionSchema, event, invalid);
  if (action === 'requestReview') return { action, input: parseWith(requestReviewInputSchema, event, invalid) };
  if (action === 'applyDecision') return { action, input: parseWith(applyDecisionInputSchema, event, invalid) };
  return { action, input: parseWith(recordReviewFailureInputSchema, event, invalid) };
}
