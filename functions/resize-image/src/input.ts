import { InvalidResizeInputError } from './errors';
import type { ResizeInput } from './types';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that the event is the state machine input of docs/contracts.md and returns it typed.
 * @throws InvalidResizeInputError naming what is wrong.
 */
export function parseResizeInput(event: unknown): ResizeInput {
  const problems: string[] = [];
  if (!isRecord(event)) throw new InvalidResizeInputError('The input must be an object');
  if (typeof event.imageId !== 'string' || !/^[0-9a-f]{32}$/.test(event.imageId)) problems.push('imageId must be 32 lowercase hex');
  if (typeof event.revision !== 'string' || !/^[0-9a-f]{16}$/.test(event.revision)) problems.push('revision must be 16 lowercase hex');
  const source = event.source;
  if (!isRecord(source)) {
    problems.push('source must be an object');
  } else {
    if (typeof source.bucket !== 'string' || source.bucket.length === 0) problems.push('source.bucket must be a non-empty string');
    if (typeof source.key !== 'string' || source.key.length === 0) problems.push('source.key must be a non-empty string');
    if (source.versionId !== undefined && source.versionId !== null && typeof source.versionId !== 'string') problems.push('source.versionId must be a string or null');
  }
  if (problems.length > 0) throw new InvalidResizeInputError(`Invalid ResizeImage input: ${problems.join('; ')}`);
  const valid = event as unknown as ResizeInput;
  return { ...valid, source: { ...valid.source, versionId: valid.source.versionId ?? null } };
}
