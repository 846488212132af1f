import { sectionItems } from '@smart-image-pipeline/contracts';
import { InvalidStoreInputError } from '../../src/errors';
import { parseStoreRequest } from '../../src/parse-input';
import { loadStoreEvent } from './support/events';

describe('parseStoreRequest', () => {
  it('reads the full success state as a storeMetadata request', () => {
    // Act
    const request = parseStoreRequest(loadStoreEvent('success'));

    // Assess
    expect(request.action).toBe('storeMetadata');
    if (request.action !== 'storeMetadata') return;
    expect(request.input.source).toEqual({
      bucket: 'smart-image-pipeline-uploads-123456789012',
      key: 'uploads/holiday/beach.jpg',
      versionId: 'Q7f2lhBq0h8.Hn6Xo3vW1yJ9tq5m2RcZ',
      sourceOrder: '000000000000000065A1B2C3D4E5F601',
    });
    expect(request.input.resize.perceptualHash).toBe('c3d2a1f08e4b7765');
    expect(sectionItems(request.input.analysis, 'labels').map((l) => l.name)).toEqual(['Beach', 'Sea', 'Water', 'Person', 'Sky', 'Text']);
  });

  it('reads a state without analysis as a success with analysis null', () => {
    // Act
    const request = parseStoreRequest(loadStoreEvent('success-no-analysis'));

    // Assess
    expect(request.action === 'storeMetadata' && request.input.analysis).toBeNull();
    expect(request.action === 'storeMetadata' && request.input.source.versionId).toBeNull();
  });

  it('reads a recordFailure request and cleans the cause', () => {
    // Act
    const request = parseStoreRequest(loadStoreEvent('record-failure'));

    // Assess
    expect(request).toMatchObject({
      action: 'recordFailure',
      input: { error: { name: 'CorruptImageError', cause: expect.stringMatching(/^The image data is corrupt/) } },
    });
  });

  it('tells a reprocess run (its input names the target pipelineVersion) from an upload', () => {
    // Prepare
    const upload = loadStoreEvent<Record<string, unknown>>('success');
    const reprocess = { ...upload, pipelineVersion: 'v2' };

    // Act
    const requests = [upload, reprocess].map((state) => parseStoreRequest(state));

    // Assess
    expect(requests.map((request) => request.action === 'storeMetadata' && request.run)).toEqual(['upload', 'reprocess']);
  });

  it('picks up the times the earlier steps put on the state, leaving the store time to the handler', () => {
    // Act
    const stored = parseStoreRequest(loadStoreEvent('success'));
    const unanalysed = parseStoreRequest(loadStoreEvent('success-no-analysis'));
    const failed = parseStoreRequest(loadStoreEvent('record-failure'));

    // Assess
    const noVideo = { transcodeMs: null, videoAnalysisMs: null };
    expect(stored.stepDurations).toEqual({ resolveVersionMs: 41, resizeMs: 612, analyseMs: 1480, ...noVideo, storeMs: null });
    expect(unanalysed.stepDurations).toEqual({ resolveVersionMs: null, resizeMs: null, analyseMs: null, ...noVideo, storeMs: null });
    // RecordFailure gets the state at `state`: ResolveVersion finished, ResizeImage (the failing step) left no result.
    expect(failed.stepDurations).toEqual({ resolveVersionMs: 41, resizeMs: null, analyseMs: null, ...noVideo, storeMs: null });
  });

  it('times a video: its MediaConvert jobs from submission to finish, its analysis from the jobs’ start to done', () => {
    // Prepare: MediaConvert's API gives epoch seconds; an ISO time is read too.
    const success = loadStoreEvent<{ analysis: { summary: unknown } }>('success');
    const state = {
      ...success,
      // RecordVideoAnalysis keeps only the summary: a video has no image analysis time.
      analysis: { summary: success.analysis.summary },
      transcoded: {
        jobId: 'j1',
        status: 'COMPLETE',
        timing: { SubmitTime: 1_796_500_000, StartTime: 1_796_500_004, FinishTime: 1_796_500_041.25 },
      },
      clipped: { jobId: 'j2', status: 'COMPLETE', timing: { SubmitTime: '2026-12-06T01:00:00Z', FinishTime: '2026-12-06T01:00:09.5Z' } },
      videoAnalysis: { done: true, durationMs: 95_000 },
    };
    // Step Functions' optimized .sync results may carry epoch milliseconds (its Glue result does).
    const inMilliseconds = {
      ...state,
      transcoded: { ...state.transcoded, timing: { SubmitTime: 1_796_500_000_000, FinishTime: 1_796_500_041_250 } },
    };
    const unreadable = { ...state, transcoded: { timing: { SubmitTime: 'soon' } }, videoAnalysis: { done: false, durationMs: null } };

    // Act
    const [timed, timedInMs, untimed] = [state, inMilliseconds, unreadable].map((event) => parseStoreRequest(event).stepDurations);

    // Assess
    expect(timed).toMatchObject({ analyseMs: null, transcodeMs: 41_250 + 9_500, videoAnalysisMs: 95_000 });
    expect(timedInMs).toMatchObject({ transcodeMs: 41_250 + 9_500 });
    expect(untimed).toMatchObject({ transcodeMs: null, videoAnalysisMs: null });
  });

  it('reads no time from a duration that is not a whole, non-negative number', () => {
    // Prepare
    const state = loadStoreEvent<{ resize: { durationMs: unknown }; analysis: { durationMs: unknown } }>('success');
    state.resize.durationMs = -5;
    state.analysis.durationMs = 'slow';

    // Act
    const request = parseStoreRequest(state);

    // Assess
    expect(request.stepDurations).toMatchObject({ resizeMs: null, analyseMs: null });
  });

  it('normalises sourceOrder to upper case and the hash to lower case', () => {
    // Prepare
    const state = loadStoreEvent<{ source: { sourceOrder: string }; resize: { perceptualHash: string } }>('success');
    state.source.sourceOrder = state.source.sourceOrder.toLowerCase();
    state.resize.perceptualHash = state.resize.perceptualHash.toUpperCase();

    // Act
    const request = parseStoreRequest(state);

    // Assess
    expect(request.input.source.sourceOrder).toBe('000000000000000065A1B2C3D4E5F601');
    expect(request.action === 'storeMetadata' && request.input.resize.perceptualHash).toBe('c3d2a1f08e4b7765');
  });

  it('names every broken field in one InvalidStoreInputError', () => {
    // Prepare
    const state = loadStoreEvent<Record<string, unknown>>('success');
    state.imageId = 'not-an-id';
    delete state.receivedAt;
    (state.resize as Record<string, unknown>).perceptualHash = 'xyz';

    // Act
    const parse = () => parseStoreRequest(state);

    // Assess
    expect(parse).toThrow(InvalidStoreInputError);
    expect(parse).toThrow(/imageId.*receivedAt.*perceptualHash/);
  });

  it.each([
    ['null', null, /not an object/],
    ['an unknown action', { action: 'deleteEverything' }, /unknown action/],
    ['a success without resize', { ...loadStoreEvent('success'), resize: undefined }, /resize must be an object/],
    [
      'an analysis in the old field-by-field shape',
      { ...loadStoreEvent('success'), analysis: { labels: [{ name: 'Dog', confidence: 90 }] } },
      /analysis\.summary/,
    ],
    [
      'a label without confidence',
      {
        ...loadStoreEvent('success'),
        analysis: {
          summary: {
            sections: { labels: { title: 'Labels', detector: 'DetectLabels', items: [{ name: 'Dog' }] } },
            calls: [],
            skipped: {},
            rawKeys: {},
          },
        },
      },
      /analysis\.summary\.sections\.labels\.items\[0\]\.confidence/,
    ],
    ['a failure without error', { ...loadStoreEvent('record-failure'), error: undefined }, /error must be/],
    ['a source without sourceOrder', { ...loadStoreEvent('success'), source: { bucket: 'b', key: 'k', versionId: null } }, /sourceOrder/],
  ])('rejects %s', (_label, event, message) => {
    // Act
    const parse = () => parseStoreRequest(event);

    // Assess
    expect(parse).toThrow(InvalidStoreInputError);
    expect(parse).toThrow(message);
  });
});
