import { InvalidAnalysisInputError } from './errors';
import type { AnalyseImageInput } from './types';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Checks the AnalyseImage state input. The ids are checked strictly because they become S3 key parts.
 * @throws InvalidAnalysisInputError naming every field that is wrong.
 */
export function parseAnalyseImageInput(event: unknown): AnalyseImageInput {
  const input = isObject(event) ? event : {};
  const image = isObject(input.image) ? input.image : {};
  const problems = [
    !(typeof input.imageId === 'string' && /^[0-9a-f]{32}$/.test(input.imageId)) && 'imageId must be 32 lowercase hex',
    !(typeof input.revision === 'string' && /^[0-9a-f]{16}$/.test(input.revision)) && 'revision must be 16 lowercase hex',
    !isText(image.bucket) && 'image.bucket must be a non-empty string',
    !isText(image.key) && 'image.key must be a non-empty string',
    !(image.versionId === undefined || image.versionId === null || isText(image.versionId)) &&
      'image.versionId must be a string or null',
    !(input.executionArn === undefined || isText(input.executionArn)) && 'executionArn must be a string when given',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) throw new InvalidAnalysisInputError(`Invalid AnalyseImage input: ${problems.join('; ')}`);
  return event as AnalyseImageInput;
}
