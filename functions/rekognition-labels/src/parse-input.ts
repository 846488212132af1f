import { analyseImageInputSchema, parseWith } from '@smart-image-pipeline/contracts';
import { InvalidAnalysisInputError } from './errors';
import type { AnalyseImageInput } from './types';

/**
 * Checks the AnalyseImage state input (the contracts' `analyseImageInputSchema`). The ids are checked strictly
 * because they become S3 key parts.
 * @throws InvalidAnalysisInputError naming every field that is wrong.
 */
export function parseAnalyseImageInput(event: unknown): AnalyseImageInput {
  return parseWith(
    analyseImageInputSchema,
    event,
    (problems) => new InvalidAnalysisInputError(`Invalid AnalyseImage input: ${problems.join('; ')}`),
  );
}
