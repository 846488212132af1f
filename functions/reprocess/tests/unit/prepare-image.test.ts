import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  analysisFingerprint,
  checkAnalysisConfig,
  DEFAULT_ANALYSIS_CONFIG,
  reprocessClaimSeconds,
  type AnalysisConfig,
} from '@smart-image-pipeline/contracts';
import { prepareImage, type PrepareDeps } from '../../src/prepare-image';

const IMAGE_ID = '5f0c2d7e9a1b3c4d5e6f708192a3b4c5';
const NOW = new Date('2026-12-05T22:00:00.000Z');
/** Claims the fake table accepted, and which run holds a claim already (sort key -> run name). */
let claims: Array<Record<string, unknown>> = [];
/** The condition values of every claim put (what the condition compares the claim with). */
let claimValues: Array<Record<string, unknown>> = [];
let claimedBy = new Map<string, string>();

beforeEach(() => {
  claims = [];
  claimValues = [];
  claimedBy = new Map();
});

/** A table holding one image item and the pinned versions, answering GetItem as DynamoDB does. */
function table(
  image: Record<string, unknown> | undefined,
  versions: Record<string, number[]>,
  analysis: Record<string, AnalysisConfig> = {},
): PrepareDeps {
  const items = new Map<string, Record<string, unknown>>(
    Object.entries(versions).map(([name, widths]) => [
      `VERSION#${name}`,
      { name, settings: { variantWidths: widths, analysis: analysis[name] } },
    ]),
  );
  if (image) items.set(`IMAGE#${IMAGE_ID}`, image);
  return {
    db: {
      send: async (command: unknown) => {
        if (command instanceof PutCommand) {
          claimValues.push(command.input.ExpressionAttributeValues ?? {});
          // The claim: refused as DynamoDB refuses a failed condition when another run holds it (claimedBy).
          const holder = claimedBy.get(String(command.input.Item?.SK));
          if (holder !== undefined && holder !== command.input.ExpressionAttributeValues?.[':run'])
            throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
          claims.push(command.input.Item as Record<string, unknown>);
          return {};
        }
        if (!(command instanceof GetCommand)) throw new Error('unexpected command');
        return { Item: items.get(String((command.input.Key as { PK: string }).PK)) };
      },
    } as PrepareDeps['db'],
    tableName: 'images',
    now: () => NOW,
    pinnedVersions: new Map(),
    claimSeconds: reprocessClaimSeconds(259_200),
  };
}

const stored = {
  imageId: IMAGE_ID,
  status: 'SUCCEEDED',
  pipelineVersion: 'v1',
  revision: '9a1b2c3d4e5f6071',
  sourceOrder: '0000000000000000000055AED6DCD902',
  owner: 'unowned',
  receivedAt: '2026-12-05T18:00:00.000Z',
  source: { bucket: 'uploads', key: 'uploads/a.jpg', versionId: null },
  analysable: true,
  image: { format: 'jpeg', width: 800, height: 600 },
  variants: [{ key: `images/${IMAGE_ID}/9a1b2c3d4e5f6071/w256.webp`, format: 'webp', width: 256, height: 192 }],
  analysisImage: { bucket: 'uploads', key: 'uploads/a.jpg', versionId: null },
  imageProperties: { Quality: { Brightness: 50, Sharpness: 50, Contrast: 50 }, DominantColors: [] },
  perceptualHash: '0f0f0f0f0f0f0f0f',
};

describe('prepareImage', () => {
  it('carries the stored resize result when the target version writes the same variants', async () => {
    // Act
    const prepared = await prepareImage(IMAGE_ID, 'v2', 'run-1', table(stored, { v1: [256], v2: [256] }));

    // Assess
    expect(prepared).toMatchObject({ action: 'run', reusesResize: true, input: { pipelineVersion: 'v2', resize: { mediaType: 'image' } } });
  });

  it('resizes again when the widths differ, when the item lacks part of the result, and for a video', async () => {
    // Act
    const otherWidths = await prepareImage(IMAGE_ID, 'v2', 'run-1', table(stored, { v1: [256], v2: [512] }));
    const older = await prepareImage(IMAGE_ID, 'v2', 'run-1', table({ ...stored, imageProperties: undefined }, { v1: [256], v2: [256] }));
    const video = await prepareImage(IMAGE_ID, 'v2', 'run-1', table({ ...stored, mediaType: 'video' }, { v1: [256], v2: [256] }));

    // Assess
    for (const prepared of [otherWidths, older, video]) {
      expect(prepared).toMatchObject({ action: 'run', reusesResize: false });
      expect(prepared.action === 'run' && 'resize' in prepared.input).toBe(false);
    }
  });

  it('refers to the stored analysis, and counts it reused when the target version analyses with the same settings', async () => {
    // Prepare
    const analysed = { ...stored, analysis: { settingsFingerprint: analysisFingerprint(DEFAULT_ANALYSIS_CONFIG) } };
    const stricter = checkAnalysisConfig({ minLabelConfidence: 90 }).config!;

    // Act
    const same = await prepareImage(IMAGE_ID, 'v2', 'run-1', table(analysed, { v1: [256], v2: [512] }, { v2: DEFAULT_ANALYSIS_CONFIG }));
    const other = await prepareImage(IMAGE_ID, 'v3', 'run-1', table(analysed, { v1: [256], v3: [256] }, { v3: stricter }));
    const older = await prepareImage(IMAGE_ID, 'v2', 'run-1', table(stored, { v1: [256], v2: [256] }, { v2: DEFAULT_ANALYSIS_CONFIG }));

    // Assess
    const ref = { pipelineVersion: 'v1', fingerprint: analysisFingerprint(DEFAULT_ANALYSIS_CONFIG) };
    expect(same).toMatchObject({ action: 'run', reusesResize: false, reusesAnalysis: true, input: { storedAnalysis: ref } });
    expect(other).toMatchObject({ action: 'run', reusesResize: true, reusesAnalysis: false, input: { storedAnalysis: ref } });
    expect(older).toMatchObject({ action: 'run', reusesAnalysis: false });
    expect(older.action === 'run' && 'storedAnalysis' in older.input).toBe(false);
  });

  it('claims the image for its run and version, and skips it when another run of that version holds it', async () => {
    // Act
    const claimed = await prepareImage(IMAGE_ID, 'v2', 'run-1', table(stored, { v1: [256], v2: [256] }));
    claimedBy.set('REPROCESS#v2', 'run-1');
    const again = await prepareImage(IMAGE_ID, 'v2', 'run-1', table(stored, { v1: [256], v2: [256] }));
    const other = await prepareImage(IMAGE_ID, 'v2', 'run-2', table(stored, { v1: [256], v2: [256] }));

    // Assess
    expect(claimed).toMatchObject({ action: 'run' });
    expect(again).toMatchObject({ action: 'run' });
    expect(other).toEqual({ action: 'skip', imageId: IMAGE_ID, reason: 'claimed' });
    expect(claims[0]).toEqual({
      PK: `IMAGE#${IMAGE_ID}`,
      SK: 'REPROCESS#v2',
      type: 'REPROCESS_CLAIM',
      runName: 'run-1',
      revision: stored.revision,
      claimedAt: NOW.toISOString(),
      // Three days of review (the template's default) plus the run's 7,800 s.
      expiresAt: NOW.getTime() / 1000 + 259_200 + 7_800,
    });
  });

  it("lets an ended run's item write end a claim, but not a QUARANTINED item's (its run still waits for its review)", async () => {
    // Act: the item of a finished run, then one whose run (of v1) waits for its review, both reprocessed to v2.
    await prepareImage(IMAGE_ID, 'v2', 'run-1', table({ ...stored, updatedAt: '2026-12-05T21:00:00.000Z' }, { v1: [256], v2: [256] }));
    const waiting = { ...stored, status: 'QUARANTINED', updatedAt: '2026-12-05T21:00:00.000Z' };
    await prepareImage(IMAGE_ID, 'v2', 'run-1', table(waiting, { v1: [256], v2: [256] }));

    // Assess
    expect(claimValues[0][':itemWritten']).toBe('2026-12-05T21:00:00.000Z');
    expect(claimValues[1]).not.toHaveProperty(':itemWritten');
    expect(claimValues[1][':lapsed']).toBe(new Date(NOW.getTime() - reprocessClaimSeconds(259_200) * 1000).toISOString());
  });

  it('skips an image already at the target version and one that is gone', async () => {
    // Act
    const current = await prepareImage(IMAGE_ID, 'v1', 'run-1', table(stored, { v1: [256] }));
    const inReview = await prepareImage(IMAGE_ID, 'v1', 'run-1', table({ ...stored, status: 'QUARANTINED' }, { v1: [256] }));
    const deleted = await prepareImage(IMAGE_ID, 'v2', 'run-1', table({ ...stored, status: 'DELETED' }, { v2: [256] }));
    const missing = await prepareImage(IMAGE_ID, 'v2', 'run-1', table(undefined, { v2: [256] }));

    // Assess
    expect(current).toEqual({ action: 'skip', imageId: IMAGE_ID, reason: 'current' });
    expect(inReview).toEqual({ action: 'skip', imageId: IMAGE_ID, reason: 'current' });
    expect(deleted).toEqual({ action: 'skip', imageId: IMAGE_ID, reason: 'gone' });
    expect(missing).toEqual({ action: 'skip', imageId: IMAGE_ID, reason: 'gone' });
  });

  it('reprocesses a failed image even at the target version, and refuses a target version never pinned', async () => {
    // Act
    const failed = await prepareImage(IMAGE_ID, 'v1', 'run-1', table({ ...stored, status: 'FAILED' }, { v1: [256] }));
    const unpinned = prepareImage(IMAGE_ID, 'v3', 'run-1', table(stored, { v1: [256] }));

    // Assess
    expect(failed).toMatchObject({ action: 'run', reusesResize: false });
    await expect(unpinned).rejects.toMatchObject({ name: 'UnknownPipelineVersionError' });
  });
});
