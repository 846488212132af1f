import { imageProcessedDetailSchema, recordFailureInputSchema, storeSuccessInputSchema } from '@smart-image-pipeline/contracts';
import { eventOwner, failedEvents, processedEvents } from '../../src/events';
import { describeFailure } from '../../src/failure-cause';
import { loadStoreEvent } from './support/events';

const OWNER = '0b6c9f1e-2d4a-4c8e-9f3a-7e5d1c2b3a40';

/** A logger that keeps what it was told, so a dropped event is visible to the test. */
function recordingLog() {
  const errors: unknown[][] = [];
  return { errors, error: (...args: unknown[]) => void errors.push(args) };
}

const successInput = (changes: (state: any) => void = () => undefined) => {
  const state = loadStoreEvent<any>('success');
  changes(state);
  return storeSuccessInputSchema.parse(state);
};

describe('events of a stored run', () => {
  it('announces Image Processed with ids, owner, the most confident labels and the variant keys, and nothing else', () => {
    // Prepare
    const input = successInput((state) => (state.owner = OWNER));

    // Act
    const { processed, flagged } = processedEvents(input, recordingLog());

    // Assess
    expect(imageProcessedDetailSchema.parse(processed)).toEqual(processed);
    expect(processed).toMatchObject({
      schemaVersion: 1,
      imageId: input.imageId,
      revision: input.revision,
      owner: OWNER,
      status: 'SUCCEEDED',
      analysed: true,
    });
    expect(processed!.labels.length).toBeLessThanOrEqual(10);
    expect(processed!.labels.map((label) => label.confidence)).toEqual(
      [...processed!.labels.map((label) => label.confidence)].sort((a, b) => b - a),
    );
    expect(processed!.variants.map((variant) => variant.key)).toEqual(input.resize.variants.map((variant) => variant.key));
    expect(JSON.stringify(processed)).not.toContain(input.source.key);
    expect(flagged).toBeUndefined();
  });

  it('counts the bytes written as variants and the Rekognition calls made and skipped by the configuration', () => {
    // Prepare
    const input = successInput((state) => {
      state.resize.variants = state.resize.variants.map((variant: any, index: number) => ({ ...variant, bytes: 1000 * (index + 1) }));
      state.analysis.summary.calls = ['DetectLabels', 'DetectModerationLabels'];
      state.analysis.summary.skipped = { DetectFaces: 'no person found', DetectText: 'switched off' };
    });
    const variantCount = input.resize.variants.length;

    // Act
    const { processed } = processedEvents(input, recordingLog());

    // Assess
    expect(processed).toMatchObject({
      bytesOut: (1000 * variantCount * (variantCount + 1)) / 2,
      rekognitionCalls: 2,
      rekognitionSkipped: 2,
    });
  });

  it('counts no Rekognition call when the analysis did not run', () => {
    const input = successInput((state) => delete state.analysis);

    const { processed } = processedEvents(input, recordingLog());

    expect(processed).toMatchObject({ analysed: false, rekognitionCalls: 0, rekognitionSkipped: 0 });
  });

  it('adds Image Flagged with the moderation labels when there are any', () => {
    // Prepare
    const input = successInput((state) => {
      state.analysis.summary.sections.moderation = {
        title: 'Moderation',
        detector: 'DetectModerationLabels',
        items: [
          { name: 'Suggestive', confidence: 61.2, attributes: { parentName: '' } },
          { name: 'Revealing Clothes', confidence: 70.5, attributes: { parentName: 'Suggestive' } },
        ],
      };
    });

    // Act
    const { processed, flagged } = processedEvents(input, recordingLog());

    // Assess
    expect(processed!.moderated).toBe(true);
    expect(flagged!.moderationLabels).toEqual([
      { name: 'Revealing Clothes', confidence: 70.5, parentName: 'Suggestive' },
      { name: 'Suggestive', confidence: 61.2, parentName: '' },
    ]);
  });

  it('names a run without an owner (started before owners existed) as unowned', () => {
    expect(eventOwner(successInput())).toBe('unowned');
  });

  it('drops an event whose detail would break its schema, and says why', () => {
    // Prepare
    const input = successInput((state) => (state.resize.image.format = 'bmp'));
    const log = recordingLog();

    // Act
    const events = processedEvents(input, log);

    // Assess
    expect(events.processed).toBeUndefined();
    expect(log.errors[0][0]).toBe('Event detail breaks its schema; not published');
  });

  it('announces a recorded failure by its error name only; the cause (which may quote the key) stays on the item', () => {
    // Prepare
    const raw = recordFailureInputSchema.parse(loadStoreEvent('record-failure'));
    const input = { ...raw, error: describeFailure(raw.error) };

    // Act
    const { failed } = failedEvents(input, recordingLog());

    // Assess
    expect(failed).toEqual({
      schemaVersion: 1,
      imageId: input.imageId,
      revision: input.revision,
      owner: 'unowned',
      receivedAt: input.receivedAt,
      pipelineVersion: 'v1',
      status: 'FAILED',
      error: { name: 'CorruptImageError' },
    });
  });

  it('carries the step times it is given on Image Processed and Image Failed, and none when given none', () => {
    // Prepare
    const raw = recordFailureInputSchema.parse(loadStoreEvent('record-failure'));
    const failure = { ...raw, error: describeFailure(raw.error) };
    const times = { resolveVersionMs: 41, resizeMs: 612, analyseMs: 1480, transcodeMs: null, videoAnalysisMs: null, storeMs: 95 };
    const beforeResize = { resolveVersionMs: 41, resizeMs: null, analyseMs: null, transcodeMs: null, videoAnalysisMs: null, storeMs: null };

    // Act
    const processed = processedEvents(successInput(), recordingLog(), times).processed;
    const failed = failedEvents(failure, recordingLog(), beforeResize).failed;
    const untimed = processedEvents(successInput(), recordingLog()).processed;

    // Assess
    expect(processed?.stepDurations).toEqual(times);
    expect(failed?.stepDurations).toEqual(beforeResize);
    expect(failed?.pipelineVersion).toBe('v1');
    expect(untimed).not.toHaveProperty('stepDurations');
  });
});
