import { parseWith, resizeInputSchema } from '@smart-image-pipeline/contracts';
import { InvalidResizeInputError } from './errors';
import type { ResizeInput } from './types';

/**
 * Checks that the event is the state machine input of docs/contracts.md (the contracts' `resizeInputSchema`)
 * and returns it typed, a missing versionId as null.
 * @throws InvalidResizeInputError naming every problem.
 */
export function parseResizeInput(event: unknown): ResizeInput {
  return parseWith(
    resizeInputSchema,
    event,
    (problems) => new InvalidResizeInputError(`Invalid ResizeImage input: ${problems.join('; ')}`),
  );
}
