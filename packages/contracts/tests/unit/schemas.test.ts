import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyseImageInputSchema,
  executionInputSchema,
  parseWith,
  problemsOf,
  resizeInputSchema,
  s3EventSchema,
  storeActionSchema,
} from '../../src';

const EVENTS = join(__dirname, '../../../../events');
const event = (folder: string, name: string): Record<string, unknown> => JSON.parse(readFileSync(join(EVENTS, folder, name), 'utf8'));
const eventNames = (folder: string) => readdirSync(join(EVENTS, folder)).filter((name) => name.endsWith('.json'));

describe('step payload schemas', () => {
  it.each(eventNames('resize-image'))('reads events/resize-image/%s as a full state machine input', (name) => {
    // Act
    const parsed = executionInputSchema.safeParse(event('resize-image', name));

    // Assess
    expect(parsed.error).toBeUndefined();
  });

  it.each(eventNames('rekognition-labels'))('reads events/rekognition-labels/%s as an AnalyseImage input', (name) => {
    expect(analyseImageInputSchema.safeParse(event('rekognition-labels', name)).error).toBeUndefined();
  });

  it('names every broken field of a step input, each with its path', () => {
    // Act
    const parsed = resizeInputSchema.safeParse({ imageId: 'x', revision: 7, source: { bucket: '', versionId: 3 } });

    // Assess
    expect(problemsOf(parsed.error!)).toEqual([
      'imageId must be 32 lowercase hex',
      'revision must be 16 lowercase hex',
      'source.bucket must be a non-empty string',
      'source.key must be a non-empty string',
      'source.versionId must be a string or null',
      'source.sourceOrder must be 32 hex',
    ]);
  });

  it('normalises what the steps compare: a missing versionId is null, sourceOrder upper case', () => {
    // Prepare
    const input = event('resize-image', 'jpeg-upload.json') as { source: Record<string, unknown> };
    delete input.source.versionId;
    input.source.sourceOrder = String(input.source.sourceOrder).toLowerCase();

    // Act
    const parsed = executionInputSchema.parse(input);

    // Assess
    expect(parsed.source.versionId).toBeNull();
    expect(parsed.source.sourceOrder).toMatch(/^[0-9A-F]{32}$/);
  });

  it("turns a failed parse into the caller's own error, naming every problem", () => {
    // Act
    const act = () => parseWith(storeActionSchema, { action: 'deleteEverything' }, (problems) => new RangeError(problems.join('; ')));

    // Assess
    expect(act).toThrow(RangeError);
    expect(act).toThrow('action must be storeMetadata or recordFailure (unknown action "deleteEverything")');
  });

  it.each(eventNames('trigger-step-function'))('reads events/trigger-step-function/%s as S3 records with encoded keys', (name) => {
    // Act
    const parsed = s3EventSchema.parse(event('trigger-step-function', name));

    // Assess
    for (const record of parsed.Records) expect(record.bucket).not.toBe('');
  });

  it('reads a versionId of "null" (versioning suspended) as no version', () => {
    // Prepare
    const raw = event('trigger-step-function', 's3-put.json') as { Records: Array<{ s3: { object: Record<string, unknown> } }> };
    raw.Records[0].s3.object.versionId = 'null';

    // Act
    const [record] = s3EventSchema.parse(raw).Records;

    // Assess
    expect(record.versionId).toBeNull();
  });
});
