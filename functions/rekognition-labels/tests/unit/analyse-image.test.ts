import {
  InvalidImageFormatException,
  InvalidS3ObjectException,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  type DetectLabelsResponse,
  type DetectModerationLabelsResponse,
} from '@aws-sdk/client-rekognition';
import { analyseImage, type AnalyseImageDeps } from '../../src/analyse-image';
import { DEFAULT_ANALYSIS_CONFIG } from '../../src/analysis-config';
import { InvalidAnalysisImageError, InvalidConfigError } from '../../src/errors';
import type { AnalysisConfig } from '../../src/types';
import { analysisSummarySchema, PeopleLockBusyError, sectionItems, storedAnalysisRef } from '@smart-image-pipeline/contracts';
import { events, responses } from './fixtures';

const metadata = { $metadata: { httpStatusCode: 200, requestId: 'b1f0c7a2-0000-4000-8000-000000000000', attempts: 1 } };

interface FakeOptions {
  config?: Partial<AnalysisConfig>;
  labels?: () => Promise<DetectLabelsResponse>;
  moderation?: () => Promise<DetectModerationLabelsResponse>;
}

/** Fake deps that answer with the fixtures and record what the core asked for. */
function fakeDeps({ config = {}, labels, moderation }: FakeOptions = {}) {
  const requests: { call: string; request: unknown }[] = [];
  const written = new Map<string, unknown>();
  const answers: Record<string, () => Promise<object>> = {
    DetectLabels: labels ?? (async () => ({ ...responses.labelsPerson(), ...metadata })),
    DetectModerationLabels: moderation ?? (async () => ({ ...responses.moderationPerson(), ...metadata })),
    DetectFaces: async () => ({ ...responses.faces(), ...metadata }),
    DetectText: async () => ({ ...responses.text(), ...metadata }),
  };
  const deps: AnalyseImageDeps = {
    getConfig: async () => ({ ...DEFAULT_ANALYSIS_CONFIG, ...config }),
    detect: async (detector, request) => {
      requests.push({ call: detector.name, request });
      return answers[detector.name]();
    },
    putJson: async (key, body) => {
      written.set(key, body);
    },
  };
  return { deps, requests, written, called: () => requests.map((r) => r.call).sort() };
}

const landscapeLabels = async () => ({ ...responses.labelsLandscape(), ...metadata });

describe('analyseImage', () => {
  it("copies a near-duplicate's analysis without any Rekognition call, keeping its own measured colours", async () => {
    // Prepare
    const fake = fakeDeps({ labels: landscapeLabels });
    const first = await analyseImage(events.person(), fake.deps);
    const source = {
      imageId: 'a'.repeat(32),
      revision: '0123456789abcdef',
      status: 'SUCCEEDED',
      analysis: first,
      perceptualHash: '8f3c5a1e9b7d2c64',
    };
    const imageProperties = { Quality: { Brightness: 20, Sharpness: 30, Contrast: 40 }, DominantColors: [] };
    const reuser = fakeDeps();
    reuser.deps.nearDuplicates = { bandMembers: async () => [source], image: async (id) => (id === source.imageId ? source : undefined) };

    // Act
    const summary = await analyseImage({ ...events.landscape(), perceptualHash: '8f3c5a1e9b7d2c65', imageProperties }, reuser.deps);

    // Assess
    expect(reuser.requests).toEqual([]);
    expect(reuser.written.size).toBe(0);
    expect(summary).toMatchObject({
      calls: [],
      rawKeys: {},
      settings: first.settings,
      reusedFrom: { imageId: source.imageId, revision: source.revision, distance: 1 },
    });
    expect(summary.sections.labels).toEqual(first.sections.labels);
    expect(summary.sections.imageProperties).toMatchObject({ detector: 'ResizeImage', facts: { brightness: 20 } });
    expect(analysisSummarySchema.parse(summary)).toEqual(summary);
  });

  it('returns the stored analysis a reprocess run refers to, re-reading the item, and reads nothing without a reference', async () => {
    // Prepare
    const first = await analyseImage(events.person(), fakeDeps().deps);
    const input = events.person();
    const item = { imageId: input.imageId, revision: input.revision, status: 'SUCCEEDED', pipelineVersion: 'v1', analysis: first };
    const reads: string[] = [];
    const reuser = fakeDeps();
    reuser.deps.storedImage = async (imageId) => {
      reads.push(imageId);
      return item;
    };
    const stale = fakeDeps();
    stale.deps.storedImage = async () => ({ ...item, revision: 'ffffffffffffffff' });

    // Act
    const ref = storedAnalysisRef(item);
    const reused = await analyseImage({ ...input, storedAnalysis: ref }, reuser.deps);
    const withoutRef = await analyseImage({ ...input, storedAnalysis: null }, reuser.deps);
    const otherRevision = await analyseImage({ ...input, storedAnalysis: ref }, stale.deps);

    // Assess
    expect(first.settingsFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(reads).toEqual([input.imageId]);
    expect(reuser.requests.filter((request) => request.call === 'DetectLabels')).toHaveLength(1);
    expect(reuser.written.size).toBe(withoutRef.calls.length);
    expect(reused).toEqual({ ...first, calls: [], skipped: {}, reusedFromVersion: 'v1' });
    expect(withoutRef.reusedFromVersion).toBeUndefined();
    expect(otherRevision.calls).toContain('DetectLabels');
    expect(analysisSummarySchema.parse(reused)).toEqual(reused);
  });

  it('analyses as usual, recording its settings, when no near-duplicate qualifies', async () => {
    // Prepare
    const fake = fakeDeps({ labels: landscapeLabels });
    fake.deps.nearDuplicates = { bandMembers: async () => [], image: async () => undefined };

    // Act
    const summary = await analyseImage({ ...events.landscape(), perceptualHash: '8f3c5a1e9b7d2c65' }, fake.deps);

    // Assess
    expect(summary.calls).toEqual(['DetectLabels']);
    expect(summary.reusedFrom).toBeUndefined();
    expect(summary.settings).toMatch(/^[0-9a-f]{16}$/);
  });

  it('skips DetectModerationLabels, DetectFaces and DetectText when no person, skin, art, weapon or text is found', async () => {
    // Prepare
    const fake = fakeDeps({ labels: landscapeLabels });

    // Act
    const summary = await analyseImage(events.landscape(), fake.deps);

    // Assess
    expect(fake.called()).toEqual(['DetectLabels']);
    expect(summary.calls).toEqual(['DetectLabels']);
    expect(summary.skipped).toEqual({
      DetectModerationLabels: 'no moderation-like label',
      DetectFaces: 'no person-like label',
      DetectText: 'no text-like label',
    });
    expect(Object.keys(summary.sections)).toEqual(['labels', 'imageProperties']);
    expect(summary.sections.imageProperties.detector).toBe('ResizeImage');
  });

  it('runs DetectModerationLabels on a person with "auto", on a landscape with "always", never with "never"', async () => {
    // Prepare
    const person = fakeDeps({ config: { detectFaces: 'never', detectText: 'never' } });
    const landscapeAlways = fakeDeps({ config: { detectModeration: 'always' }, labels: landscapeLabels });
    const personNever = fakeDeps({ config: { detectModeration: 'never' } });

    // Act
    const personSummary = await analyseImage(events.person(), person.deps);
    const landscapeSummary = await analyseImage(events.landscape(), landscapeAlways.deps);
    const neverSummary = await analyseImage(events.person(), personNever.deps);

    // Assess
    expect(personSummary.calls).toEqual(['DetectLabels', 'DetectModerationLabels']);
    expect(landscapeSummary.calls).toEqual(['DetectLabels', 'DetectModerationLabels']);
    expect(landscapeSummary.skipped).not.toHaveProperty('DetectModerationLabels');
    expect(neverSummary.calls).not.toContain('DetectModerationLabels');
    expect(neverSummary.skipped.DetectModerationLabels).toBe('disabled by config');
  });

  it('runs DetectModerationLabels for a trigger found only as a parent label (Swimwear under Clothing)', async () => {
    // Prepare
    const labels = async () => ({
      Labels: [{ Name: 'Bikini', Confidence: 91, Parents: [{ Name: 'Swimwear' }, { Name: 'Clothing' }] }],
      ...metadata,
    });
    const fake = fakeDeps({ labels, config: { detectFaces: 'never', detectText: 'never' } });

    // Act
    const summary = await analyseImage(events.landscape(), fake.deps);

    // Assess
    expect(summary.calls).toEqual(['DetectLabels', 'DetectModerationLabels']);
  });

  it('summarises the colours and quality ResizeImage measured, unless Rekognition Image Properties is switched on', async () => {
    // Prepare
    const imageProperties = {
      Quality: { Brightness: 40.5, Sharpness: 77.25, Contrast: 61 },
      DominantColors: [
        { Red: 34, Green: 139, Blue: 34, HexCode: '#228b22', CSSColor: 'forestgreen', SimplifiedColor: 'green', PixelPercent: 62.5 },
      ],
    };
    const input = { ...events.landscape(), imageProperties };
    const ours = fakeDeps({ labels: landscapeLabels });
    const rekognition = fakeDeps({ labels: landscapeLabels, config: { rekognitionImageProperties: true } });

    // Act
    const fromResize = await analyseImage(input, ours.deps);
    const fromRekognition = await analyseImage(input, rekognition.deps);

    // Assess
    expect(fromResize.sections.imageProperties).toEqual({
      title: 'Dominant colours and quality',
      detector: 'ResizeImage',
      items: [{ name: 'forestgreen', attributes: { hex: '#228b22', simplifiedColor: 'green', pixelPercent: 62.5 } }],
      facts: { brightness: 40.5, sharpness: 77.3, contrast: 61 },
    });
    expect((ours.requests[0].request as { Features: string[] }).Features).toEqual(['GENERAL_LABELS']);
    expect(fromRekognition.sections.imageProperties.detector).toBe('DetectLabels');
    expect(fromRekognition.sections.imageProperties.facts).toEqual({ brightness: 64.8, sharpness: 67.7, contrast: 48.9 });
    expect((rekognition.requests[0].request as { Features: string[] }).Features).toEqual(['GENERAL_LABELS', 'IMAGE_PROPERTIES']);
  });

  it('runs DetectFaces with all attributes when Person reaches the trigger confidence', async () => {
    // Prepare
    const fake = fakeDeps({ config: { detectText: 'never' } });

    // Act
    const summary = await analyseImage(events.person(), fake.deps);

    // Assess
    const facesRequest = fake.requests.find((r) => r.call === 'DetectFaces')?.request;
    expect(facesRequest).toEqual({
      Image: {
        S3Object: {
          Bucket: 'smart-image-pipeline-uploads-example',
          Name: 'uploads/ai-body.jpg',
          Version: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
        },
      },
      Attributes: ['ALL'],
    });
    expect(summary.calls).toEqual(['DetectLabels', 'DetectModerationLabels', 'DetectFaces']);
    expect(sectionItems(summary, 'faces')).toHaveLength(1);
    expect(summary.skipped).toMatchObject({ DetectText: 'disabled by config' });
  });

  it('skips DetectFaces when Person is below the trigger confidence', async () => {
    // Prepare
    const fake = fakeDeps({ config: { minTriggerConfidence: 99.5, detectText: 'never' } });

    // Act
    const summary = await analyseImage(events.person(), fake.deps);

    // Assess
    expect(fake.called()).not.toContain('DetectFaces');
    expect(summary.skipped.DetectFaces).toBe('no person-like label');
  });

  it('runs DetectFaces and DetectText with "always" on an image without trigger labels', async () => {
    // Prepare
    const fake = fakeDeps({ config: { detectFaces: 'always', detectText: 'always' }, labels: landscapeLabels });

    // Act
    const summary = await analyseImage(events.landscape(), fake.deps);

    // Assess
    expect(fake.called()).toEqual(['DetectFaces', 'DetectLabels', 'DetectText']);
    expect(summary.calls).toEqual(['DetectLabels', 'DetectFaces', 'DetectText']);
    expect(summary.skipped).not.toHaveProperty('DetectFaces');
    expect(summary.skipped).not.toHaveProperty('DetectText');
  });

  it('never runs DetectFaces or DetectText with "never", even for a person holding a sign', async () => {
    // Prepare
    const fake = fakeDeps({ config: { detectFaces: 'never', detectText: 'never' } });

    // Act
    const summary = await analyseImage(events.person(), fake.deps);

    // Assess
    expect(fake.called()).toEqual(['DetectLabels', 'DetectModerationLabels']);
    expect(summary.skipped).toEqual({ DetectFaces: 'disabled by config', DetectText: 'disabled by config' });
  });

  it('runs DetectText when a Text label is present', async () => {
    // Prepare
    const fake = fakeDeps({ config: { detectFaces: 'never' } });

    // Act
    const summary = await analyseImage(events.person(), fake.deps);

    // Assess
    expect(fake.requests.find((r) => r.call === 'DetectText')?.request).toEqual({
      Image: {
        S3Object: {
          Bucket: 'smart-image-pipeline-uploads-example',
          Name: 'uploads/ai-body.jpg',
          Version: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
        },
      },
    });
    expect(summary.sections.text).toEqual({
      title: 'Detected text',
      detector: 'DetectText',
      items: [
        { name: 'SUMMER SALE', confidence: 99.3 },
        { name: 'UP TO 50% OFF', confidence: 97.3 },
      ],
    });
  });

  it('asks DetectLabels for both features with thresholds from the config, and no object version when there is none', async () => {
    // Prepare
    const fake = fakeDeps({
      config: {
        minLabelConfidence: 80,
        minTriggerConfidence: 60,
        maxLabels: 40,
        minModerationConfidence: 75,
        rekognitionImageProperties: true,
        detectModeration: 'always',
      },
      labels: landscapeLabels,
    });

    // Act
    await analyseImage(events.landscape(), fake.deps);

    // Assess
    const image = {
      S3Object: {
        Bucket: 'smart-image-pipeline-processed-example',
        Name: 'images/2daadc1c7bb82f23cc9e79ee1e5964de/7417b3d1e8d31e54/analysis.jpg',
      },
    };
    expect(fake.requests.find((r) => r.call === 'DetectLabels')?.request).toEqual({
      Image: image,
      Features: ['GENERAL_LABELS', 'IMAGE_PROPERTIES'],
      MinConfidence: 60,
      MaxLabels: 40,
    });
    expect(fake.requests.find((r) => r.call === 'DetectModerationLabels')?.request).toEqual({ Image: image, MinConfidence: 75 });
  });

  it('starts DetectModerationLabels before DetectLabels has answered when it is switched to "always"', async () => {
    // Prepare
    let answerLabels: (value: DetectLabelsResponse) => void = () => undefined;
    const labelsAnswered = new Promise<DetectLabelsResponse>((resolve) => {
      answerLabels = resolve;
    });
    const fake = fakeDeps({ labels: () => labelsAnswered, config: { detectModeration: 'always' } });

    // Act
    const running = analyseImage(events.person(), fake.deps);
    await new Promise((resolve) => setImmediate(resolve));
    const startedBeforeLabelsAnswered = fake.called();
    answerLabels(responses.labelsLandscape());
    await running;

    // Assess
    expect(startedBeforeLabelsAnswered).toEqual(['DetectLabels', 'DetectModerationLabels']);
  });

  it('writes each raw response without $metadata under the contract keys', async () => {
    // Prepare
    const fake = fakeDeps();
    const input = events.person();
    const prefix = `images/${input.imageId}/${input.revision}/rekognition`;

    // Act
    const summary = await analyseImage(input, fake.deps);

    // Assess
    expect(summary.rawKeys).toEqual({
      DetectLabels: `${prefix}/detect-labels.json`,
      DetectModerationLabels: `${prefix}/detect-moderation-labels.json`,
      DetectFaces: `${prefix}/detect-faces.json`,
      DetectText: `${prefix}/detect-text.json`,
    });
    expect(Object.fromEntries(fake.written)).toEqual({
      [`${prefix}/detect-labels.json`]: responses.labelsPerson(),
      [`${prefix}/detect-moderation-labels.json`]: responses.moderationPerson(),
      [`${prefix}/detect-faces.json`]: responses.faces(),
      [`${prefix}/detect-text.json`]: responses.text(),
    });
  });

  it('writes only the responses of the calls that ran', async () => {
    // Prepare
    const fake = fakeDeps({ labels: landscapeLabels });
    const input = events.landscape();

    // Act
    const summary = await analyseImage(input, fake.deps);

    // Assess
    expect([...fake.written.keys()].sort()).toEqual([`images/${input.imageId}/${input.revision}/rekognition/detect-labels.json`]);
    expect(Object.keys(summary.rawKeys)).toEqual(['DetectLabels']);
  });

  it('returns the contract summary shape for a person', async () => {
    // Prepare
    const fake = fakeDeps({ config: { rekognitionImageProperties: true } });

    // Act
    const summary = await analyseImage(events.person(), fake.deps);

    // Assess
    expect(analysisSummarySchema.parse(summary)).toEqual(summary);
    expect(Object.keys(summary)).toEqual(['sections', 'calls', 'skipped', 'rawKeys', 'settings', 'settingsFingerprint']);
    expect(Object.keys(summary.sections)).toEqual(['labels', 'imageProperties', 'moderation', 'faces', 'text']);
    expect(sectionItems(summary, 'labels').map((label) => label.name)).not.toContain('Outdoors');
    expect(sectionItems(summary, 'labels')[0]).toEqual({
      name: 'Person',
      confidence: 99.4,
      boxes: [{ left: 0.3072, top: 0.0411, width: 0.3959, height: 0.9386, confidence: 99.4 }],
      attributes: { parents: [], instances: 1 },
    });
    expect(sectionItems(summary, 'moderation')[0]).toEqual({
      name: 'Swimwear or Underwear',
      confidence: 64.3,
      attributes: { parentName: '' },
    });
    expect(sectionItems(summary, 'faces')[0].attributes).toEqual({ gender: 'Female', emotion: 'HAPPY', smile: true, ageRange: '24-32' });
    expect(summary.sections.imageProperties.facts).toEqual({ brightness: 71.2, sharpness: 88, contrast: 60.3 });
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThan(8 * 1024);
  });

  it('wraps InvalidImageFormatException into InvalidAnalysisImageError with the original message', async () => {
    // Prepare
    const refused = new InvalidImageFormatException({ message: 'Request has invalid image format', $metadata: {} });
    const fake = fakeDeps({ labels: () => Promise.reject(refused) });

    // Act
    const result = analyseImage(events.person(), fake.deps);

    // Assess
    await expect(result).rejects.toThrow(InvalidAnalysisImageError);
    await expect(analyseImage(events.person(), fake.deps)).rejects.toMatchObject({
      name: 'InvalidAnalysisImageError',
      message: 'InvalidImageFormatException: Request has invalid image format',
      cause: refused,
    });
    expect(fake.written.size).toBe(0);
  });

  it('wraps InvalidS3ObjectException from DetectModerationLabels into InvalidAnalysisImageError', async () => {
    // Prepare
    const refused = new InvalidS3ObjectException({
      message: 'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
      $metadata: {},
    });
    const fake = fakeDeps({ moderation: () => Promise.reject(refused) });

    // Act
    const result = analyseImage(events.person(), fake.deps);

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'InvalidAnalysisImageError',
      message: expect.stringContaining('Unable to get object metadata'),
    });
  });

  it.each([
    ['ThrottlingException', new ThrottlingException({ message: 'Rate exceeded', $metadata: {} })],
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ message: 'Provisioned rate exceeded', $metadata: {} }),
    ],
  ])('lets %s propagate unchanged so the state machine retries it', async (name, error) => {
    // Prepare
    const fake = fakeDeps({ labels: () => Promise.reject(error) });

    // Act
    const result = analyseImage(events.person(), fake.deps);

    // Assess
    await expect(result).rejects.toBe(error);
    expect(error.name).toBe(name);
  });

  it('throws InvalidConfigError before calling Rekognition when the config is invalid', async () => {
    // Prepare
    const fake = fakeDeps();
    fake.deps.getConfig = () => Promise.reject(new InvalidConfigError('Invalid config in SSM parameter /x: maxLabels must be an integer'));

    // Act
    const result = analyseImage(events.person(), fake.deps);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'InvalidConfigError' });
    expect(fake.requests).toEqual([]);
  });
});

describe('analyseImage with groupFacesIntoPeople', () => {
  /** A collection and store that record what was asked: one face per IndexFaces, no matches. */
  function people() {
    const calls: string[] = [];
    const store = { faces: [] as string[] };
    const checkpoints = new Map<string, string>();
    /** How many more times the owner's lock is busy (PeopleLockBusyError, which the state machine retries). */
    const busy = { times: 0 };
    /** Whether the image item says the image is gone (deleted or replaced): from the start, or once IndexFaces ran. */
    const gone = { before: false, after: false };
    const deps: NonNullable<AnalyseImageDeps['people']> = {
      collection: {
        indexFaces: async (_image, imageId) => {
          calls.push(`IndexFaces ${imageId}`);
          return [
            { faceId: '11111111-1111-4111-8111-111111111111', box: { left: 0.1, top: 0.1, width: 0.3, height: 0.4 }, confidence: 99 },
          ];
        },
        searchFaces: async () => {
          calls.push('SearchFaces');
          return [];
        },
        deleteFaces: async () => undefined,
        facesOfImage: async () => [],
      },
      store: {
        facesOfImage: async () => [],
        facesById: async () => [],
        putFace: async (face) => void store.faces.push(face.faceId),
        updateFace: async () => true,
        deleteFaceRecords: async () => undefined,
        markIndexing: async () => undefined,
        indexingMark: async () => undefined,
        clearIndexingMark: async () => undefined,
        isSuperseded: async () => gone.before || (gone.after && calls.some((call) => call.startsWith('IndexFaces'))),
      },
      lock: {
        withOwnerLock: async (owner, work) => {
          calls.push(`lock ${owner}`);
          if (busy.times > 0) {
            busy.times -= 1;
            throw new PeopleLockBusyError(`lock of ${owner} busy`);
          }
          return work();
        },
      },
      checkpoint: {
        get: async (imageId, revision) => {
          const stored = checkpoints.get(`${imageId}/${revision}`);
          return stored === undefined ? undefined : JSON.parse(stored);
        },
        put: async (imageId, revision, summary) => void checkpoints.set(`${imageId}/${revision}`, JSON.stringify(summary)),
        remove: async (imageId, revision) => void checkpoints.delete(`${imageId}/${revision}`),
      },
      now: () => new Date('2026-12-05T19:00:00Z'),
    };
    return { deps, calls, store, checkpoints, busy, gone };
  }

  it('indexes nothing while the switch is off (the default), even with faces found', async () => {
    // Prepare
    const fake = fakeDeps();
    const grouping = people();
    fake.deps.people = grouping.deps;

    // Act
    const summary = await analyseImage(events.person(), fake.deps);

    // Assess
    expect(grouping.calls).toEqual([]);
    expect(summary.sections.people).toBeUndefined();
    expect(summary.calls).not.toContain('IndexFaces');
  });

  it('indexes the faces and adds the people section when on and faces were found; IndexFaces is listed, its response not stored', async () => {
    // Prepare
    const fake = fakeDeps({ config: { groupFacesIntoPeople: true } });
    const grouping = people();
    fake.deps.people = grouping.deps;
    const input = events.person();

    // Act
    const summary = await analyseImage(input, fake.deps);

    // Assess
    expect(grouping.calls).toEqual(['lock unowned', `IndexFaces ${input.imageId}`, 'SearchFaces']);
    expect(summary.calls).toContain('IndexFaces');
    expect(summary.rawKeys.IndexFaces).toBeUndefined();
    expect(sectionItems(summary, 'people')).toEqual([
      expect.objectContaining({
        name: 'Person',
        attributes: { personId: '11111111-1111-4111-8111-111111111111', faceId: '11111111-1111-4111-8111-111111111111' },
      }),
    ]);
    expect(analysisSummarySchema.parse(summary)).toEqual(summary);
  });

  it.each([
    ['before', false, 'image deleted or replaced by a later upload before its faces were indexed'],
    ['after', true, 'image deleted or replaced by a later upload while its faces were indexed; they were deleted again'],
  ] as const)(
    'leaves the people section out and says why when the image was gone %s IndexFaces (listed only if it was called)',
    async (when, called, reason) => {
      // Prepare
      const fake = fakeDeps({ config: { groupFacesIntoPeople: true } });
      const grouping = people();
      grouping.gone[when] = true;
      fake.deps.people = grouping.deps;

      // Act
      const summary = await analyseImage(events.person(), fake.deps);

      // Assess
      expect(summary.sections.people).toBeUndefined();
      expect(summary.skipped.IndexFaces).toBe(reason);
      expect(summary.calls.includes('IndexFaces')).toBe(called);
      expect(grouping.checkpoints.size).toBe(0);
      expect(analysisSummarySchema.parse(summary)).toEqual(summary);
    },
  );

  it('repeats no Detect call when the people step is retried after the lock was busy', async () => {
    // Prepare: the first attempt finds the owner's lock busy; the state machine retries the same input.
    const fake = fakeDeps({ config: { groupFacesIntoPeople: true } });
    const grouping = people();
    grouping.busy.times = 1;
    fake.deps.people = grouping.deps;
    const input = events.person();

    // Act
    const failure = await analyseImage(input, fake.deps).catch((error: unknown) => error);
    const detectCallsFirst = fake.requests.length;
    const keptForRetry = grouping.checkpoints.size;
    const retried = await analyseImage(input, fake.deps);

    // Assess: the retry makes no Detect call, groups the faces once, names the first attempt's calls and raw files.
    expect(failure).toBeInstanceOf(PeopleLockBusyError);
    expect(detectCallsFirst).toBeGreaterThanOrEqual(2);
    expect(fake.requests).toHaveLength(detectCallsFirst);
    expect(keptForRetry).toBe(1);
    expect(grouping.checkpoints.size).toBe(0);
    expect(grouping.calls.filter((call) => call.startsWith('IndexFaces'))).toHaveLength(1);
    expect([...retried.calls].sort()).toEqual([...fake.called(), 'IndexFaces'].sort());
    expect(Object.keys(retried.rawKeys).sort()).toEqual(fake.called());
    expect([...fake.written.keys()].sort()).toEqual(Object.values(retried.rawKeys).sort());
    expect(sectionItems(retried, 'people')).toHaveLength(1);
    expect(analysisSummarySchema.parse(retried)).toEqual(retried);
  });

  it('runs the Detect calls again when the stored results were made under other analysis settings', async () => {
    // Prepare: an attempt under one threshold failed at the lock; the retry runs under a changed config.
    const grouping = people();
    grouping.busy.times = 1;
    const first = fakeDeps({ config: { groupFacesIntoPeople: true } });
    first.deps.people = grouping.deps;
    const input = events.person();
    await analyseImage(input, first.deps).catch(() => undefined);
    const changed = fakeDeps({ config: { groupFacesIntoPeople: true, minLabelConfidence: 90 } });
    changed.deps.people = grouping.deps;

    // Act
    await analyseImage(input, changed.deps);

    // Assess
    expect(changed.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('skips IndexFaces with a reason when no face was found, and fails clearly when on without a collection', async () => {
    // Prepare
    const landscape = fakeDeps({ config: { groupFacesIntoPeople: true }, labels: landscapeLabels });
    const grouping = people();
    landscape.deps.people = grouping.deps;
    const withoutCollection = fakeDeps({ config: { groupFacesIntoPeople: true } });

    // Act
    const summary = await analyseImage(events.landscape(), landscape.deps);
    const failure = analyseImage(events.person(), withoutCollection.deps);

    // Assess
    expect(grouping.calls).toEqual([]);
    expect(summary.skipped.IndexFaces).toBe('no face found');
    await expect(failure).rejects.toBeInstanceOf(InvalidConfigError);
  });
});
