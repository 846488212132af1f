import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { seedReprocessWorld, type ReprocessWorld } from './support/reprocess-scenario';

/**
 * Reprocessing analysed images in local mode (the same handlers as in the cloud, the local vision service behind the
 * Rekognition API): a version with the stored analysis's settings reuses it, one with other settings analyses again.
 */

const IMAGES = 4;
/** Seeding runs the local vision service on each image; bounds a hang on a shared machine, times nothing. */
const TEST_TIMEOUT_MS = 300_000;
let world: ReprocessWorld;

beforeAll(async () => {
  world = await seedReprocessWorld(IMAGES, 2, true);
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

async function analysisOf(imageId: string): Promise<Record<string, any>> {
  const { Item } = await world.db.send(
    new GetCommand({ TableName: world.stack.resources.tableName, Key: { PK: `IMAGE#${imageId}`, SK: 'IMAGE' } }),
  );
  return { pipelineVersion: Item?.pipelineVersion, ...Item?.analysis };
}

describe('reprocessing analysed images in local mode', () => {
  it(
    'reuses the stored analysis for a version with the same analysis settings, and analyses again for other settings',
    async () => {
      // Prepare
      const seeded = await Promise.all(world.imageIds.map(analysisOf));

      // Act
      const same = await world.reprocess({ version: 'v4', where: 'all', maxConcurrency: 2 });
      const reused = await Promise.all(world.imageIds.map(analysisOf));
      const other = await world.reprocess({ version: 'v2', where: 'all', maxConcurrency: 2 });
      const analysedAgain = await Promise.all(world.imageIds.map(analysisOf));

      // Assess
      expect(
        seeded.every((analysis) => analysis.calls.includes('DetectLabels') && /^[0-9a-f]{64}$/.test(analysis.settingsFingerprint)),
      ).toBe(true);
      expect(same).toMatchObject({ status: 'SUCCEEDED', reprocessed: IMAGES, reusedResize: IMAGES, reusedAnalysis: IMAGES, failed: 0 });
      reused.forEach((analysis, index) => {
        expect(analysis).toMatchObject({ pipelineVersion: 'v4', calls: [], reusedFromVersion: 'v1' });
        expect(analysis.sections).toEqual(seeded[index].sections);
        expect(analysis.settingsFingerprint).toBe(seeded[index].settingsFingerprint);
      });
      expect(other).toMatchObject({ status: 'SUCCEEDED', reprocessed: IMAGES, reusedAnalysis: 0, failed: 0 });
      for (const analysis of analysedAgain) {
        expect(analysis).toMatchObject({ pipelineVersion: 'v2' });
        expect(analysis.calls).toContain('DetectLabels');
        expect(analysis.reusedFromVersion).toBeUndefined();
        expect(analysis.settingsFingerprint).not.toBe(seeded[0].settingsFingerprint);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
