import {
  applyDecisionInputSchema,
  parseWith,
  requestReviewInputSchema,
  reviewActionSchema,
  type ApplyDecisionInput,
  type RequestReviewInput,
} from '@smart-image-pipeline/contracts';
import { InvalidReviewInputError } from './errors';

/** A validated request to the function. */
export type ReviewRequestEvent =
  { action: 'requestReview'; input: RequestReviewInput } | { action: 'applyDecision'; input: ApplyDecisionInput };

const invalid = (problems: string[]) => new InvalidReviewInputError(`Invalid ModerationReview input: ${problems.join('; ')}`);

/**
 * Tells the function's two jobs apart and validates the payload against the contracts' schemas.
 * @throws InvalidReviewInputError naming every field that breaks docs/contracts.md.
 */
export function parseReviewEvent(event: unknown): ReviewRequestEvent {
  const { action } = parseWith(reviewActionSchema, event, invalid);
  return action === 'requestReview'
    ? { action, input: parseWith(requestReviewInputSchema, event, invalid) }
    : { action, input: parseWith(applyDecisionInputSchema, event, invalid) };
}
