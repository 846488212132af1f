import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisJob } from '../../analyser';
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
});
