import type { FailureDescription } from './types';

/** Longest cause kept on the item; a stack trace adds nothing a reader of the table needs. */
export const MAX_CAUSE_LENGTH = 1000;

function parseJsonObject(text: string): Record<string, unknown> | null {
  if (!text.trimStart().startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Reduces a Catch result `{ Error, Cause }` to a name and a readable cause. When the Cause is a
 * Lambda error serialised as JSON (`{ errorType, errorMessage, trace }`) only the message is kept.
 */
export function describeFailure(error: { Error?: unknown; Cause?: unknown }): FailureDescription {
  const rawCause = typeof error.Cause === 'string' ? error.Cause : '';
  const lambdaError = parseJsonObject(rawCause);
  const message = lambdaError !== null && typeof lambdaError.errorMessage === 'string' ? lambdaError.errorMessage : rawCause;
  const errorType = lambdaError !== null && typeof lambdaError.errorType === 'string' ? lambdaError.errorType : '';
  const name = typeof error.Error === 'string' && error.Error !== '' ? error.Error : errorType !== '' ? errorType : 'UnknownError';
  return { name, cause: message.slice(0, MAX_CAUSE_LENGTH) };
}
