import { describeFailure, MAX_CAUSE_LENGTH } from '../../src/failure-cause';
import { loadStoreEvent } from './support/events';

describe('describeFailure', () => {
  it('keeps only the errorMessage of a Lambda error serialised in the Cause', () => {
    // Prepare
    const { error } = loadStoreEvent<{ error: { Error: string; Cause: string } }>('record-failure');

    // Act
    const described = describeFailure(error);

    // Assess
    expect(described).toEqual({ name: 'CorruptImageError', cause: 'The image data is corrupt: VipsJpeg: Premature end of input file' });
  });

  it('keeps a plain-text Cause as it is', () => {
    // Act
    const described = describeFailure({ Error: 'States.Timeout', Cause: 'Task timed out after 60.00 seconds' });

    // Assess
    expect(described).toEqual({ name: 'States.Timeout', cause: 'Task timed out after 60.00 seconds' });
  });

  it('falls back to the errorType when the Error is missing', () => {
    // Act
    const described = describeFailure({ Cause: JSON.stringify({ errorType: 'ImageTooLargeError', errorMessage: 'too big' }) });

    // Assess
    expect(described).toEqual({ name: 'ImageTooLargeError', cause: 'too big' });
  });

  it('names an error with neither Error nor Cause UnknownError with an empty cause', () => {
    // Act + Assess
    expect(describeFailure({})).toEqual({ name: 'UnknownError', cause: '' });
  });

  it('keeps JSON that is not a Lambda error, and broken JSON, as raw text', () => {
    // Act
    const other = describeFailure({ Error: 'X', Cause: '{"message":"from DynamoDB"}' });
    const broken = describeFailure({ Error: 'X', Cause: '{"errorMessage": ' });

    // Assess
    expect(other.cause).toBe('{"message":"from DynamoDB"}');
    expect(broken.cause).toBe('{"errorMessage": ');
  });

  it('caps a long cause', () => {
    // Act
    const described = describeFailure({ Error: 'X', Cause: 'y'.repeat(10_000) });

    // Assess
    expect(described.cause).toHaveLength(MAX_CAUSE_LENGTH);
  });
});
