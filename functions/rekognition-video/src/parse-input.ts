import {
  collectVideoAnalysisInputSchema,
  isObject,
  parseWith,
  startVideoAnalysisInputSchema,
  type CollectVideoAnalysisInput,
  type StartVideoAnalysisInput,
} from '@smart-image-pipeline/contracts';
import { InvalidVideoInputError } from './errors';

/** One of the two jobs this function does for the state machine. */
export type VideoAnalysisRequest =
  { action: 'start'; input: StartVideoAnalysisInput } | { action: 'collect'; input: CollectVideoAnalysisInput };

/**
 * Checks the state input of StartVideoAnalysis (`"action": "start"`) or CollectVideoAnalysis (`"action": "collect"`).
 * @throws InvalidVideoInputError naming every field that is wrong.
 */
export function parseVideoAnalysisRequest(event: unknown): VideoAnalysisRequest {
  const fail = (problems: string[]) => new InvalidVideoInputError(`Invalid video analysis input: ${problems.join('; ')}`);
  const action = isObject(event) ? event.action : undefined;
  if (action === 'start') return { action, input: parseWith(startVideoAnalysisInputSchema, event, fail) };
  if (action === 'collect') return { action, input: parseWith(collectVideoAnalysisInputSchema, event, fail) };
  throw fail([`action must be "start" or "collect" (got ${JSON.stringify(action)})`]);
}
