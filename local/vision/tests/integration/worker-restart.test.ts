import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetectTextResponse } from '@aws-sdk/client-rekognition';
import sharp from 'sharp';
import type { AnalysisJob } from '../../analyser';
import { OCR_CACHE_FOLDER } from '../../engines/ocr-model-cache';
import { LocalVisionService } from '../../service';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'tests', 'fixtures', 'images');

jest.setTimeout(120_000);

/** Resolves once `condition` holds, checking every 10 ms for up to 60 s. @throws Error when it never holds. */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('The condition never held');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function detectFaces(image: Buffer): AnalysisJob {
  return { operation: 'DetectFaces', params: { attributes: ['ALL'] }, bytes: image };
}

describe('vision worker supervision', () => {
  let dataDir: string;
  let service: LocalVisionService;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vision-restart-'));
    service = new LocalVisionService({ dataDir, workers: 1 });
    await service.ready();
  });

  afterAll(async () => {
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails the in-flight request with InternalServerError when its worker dies, then serves from a new worker', async () => {
    const group = await readFile(join(FIXTURES, 'group-1.jpg'));
    const [firstPid] = service.workerPids();
    const inFlight = service.analyse(detectFaces(group)).catch((error: unknown) => error);
    // Kill once the pool has handed the job to the worker (a condition, not a guessed delay); the group photo then
    // keeps it busy for over a second, so the job is still in flight.
    await waitUntil(() => service.busyWorkerPids().includes(firstPid));

    process.kill(firstPid, 'SIGKILL');
    const failed = await inFlight;

    expect(failed).toMatchObject({ code: 'InternalServerError', status: 500, message: expect.stringMatching(/worker exited \(SIGKILL\)/) });

    const next = await service.analyse(detectFaces(await readFile(join(FIXTURES, 'ai-face.jpg'))));

    expect(JSON.parse(next).FaceDetails).toHaveLength(1);
    expect(service.workerPids()).not.toContain(firstPid);
    expect(service.health()).toEqual({ ready: true, workers: 1, restarts: 1 });
  });

  it('keeps the nsfwjs weights as a binary cache under the data dir', async () => {
    const [cacheFolder] = (await readdir(join(dataDir, 'vision'))).filter((name) => name.startsWith('nsfwjs-'));
    const cached = JSON.parse(await readFile(join(dataDir, 'vision', cacheFolder, 'model.json'), 'utf8'));
    const weights = await stat(join(dataDir, 'vision', cacheFolder, 'weights.bin'));

    expect(cached.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(weights.size).toBeGreaterThan(2_000_000);
  });

  it('keeps the rewritten OCR graphs under the data dir: a new worker reads them, and replaces a damaged one', async () => {
    // Prepare: the two graphs the first worker wrote, identified by inode (a rewrite renames a new file into place).
    const folder = join(dataDir, 'vision', OCR_CACHE_FOLDER);
    const files = (await readdir(folder)).sort();
    expect(files).toEqual([expect.stringMatching(/^ch_PP-OCRv4_det_infer-/), expect.stringMatching(/^ch_PP-OCRv4_rec_infer-/)]);
    const inodes = async () => Promise.all(files.map(async (file) => (await stat(join(folder, file))).ino));
    const before = await inodes();
    const restartWorker = async () => {
      const { restarts } = service.health();
      process.kill(service.workerPids()[0], 'SIGKILL');
      await waitUntil(() => service.health().restarts === restarts + 1 && service.health().workers === 1);
    };

    // Act: a new worker starts with the cache in place.
    await restartWorker();

    // Assert: both files untouched, and the new worker reads text with them.
    expect(await inodes()).toEqual(before);
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120"><rect width="100%" height="100%" fill="white"/>' +
      '<text x="20" y="80" font-family="sans-serif" font-size="48" fill="black">Invoice paid</text></svg>';
    const page = await sharp(Buffer.from(svg)).png().toBuffer();
    const params = { minConfidence: 80, minBoxHeight: 0, minBoxWidth: 0, regions: [] };
    const text = JSON.parse(await service.analyse({ operation: 'DetectText', params, bytes: page })) as DetectTextResponse;
    expect(text.TextDetections?.filter((detection) => detection.Type === 'WORD').map((word) => word.DetectedText)).toEqual([
      'Invoice',
      'paid',
    ]);

    // Act: the recogniser's file is damaged (its last bytes cut off), and a new worker starts.
    const recogniser = join(folder, files[1]);
    const bytes = await readFile(recogniser);
    await writeFile(recogniser, bytes.subarray(0, bytes.length - 1000));
    await restartWorker();

    // Assert: the damaged file was replaced by a whole one (new inode, original size); the detector's was left alone.
    const after = await inodes();
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect((await stat(recogniser)).size).toBe(bytes.length);
  });
});
