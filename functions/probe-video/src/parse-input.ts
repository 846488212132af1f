import { parseWith, probeVideoInputSchema, type ProbeVideoInput } from '@smart-image-pipeline/contracts';
import { InvalidVideoInputError } from './errors';

/**
 * Checks ProbeVideo's state input (the contracts' `probeVideoInputSchema`).
 * @throws InvalidVideoInputError naming every field that is wrong.
 */
export function parseProbeInput(event: unknown): ProbeVideoInput {
  return parseWith(
    probeVideoInputSchema,
    event,
    (problems) => new InvalidVideoInputError(`Invalid ProbeVideo input: ${problems.join('; ')}`),
  );
}
