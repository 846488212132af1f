import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resizeInChildProcess } from '../support/child-process';
import { fixture } from '../support/hostile-corpus';
import { jpegClaimingSize, pngBomb } from '../support/image-builders';

/** The bound issue 7 sets for refusing a decompression bomb: the resizing process never holds more than this. */
const MAX_PEAK_RSS_KB = 400 * 1024;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sip-bomb-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resize core memory on decompression bombs', () => {
  test.each([
    ['a 30000x30000 PNG of zeros', 'bomb.png', () => pngBomb(30_000, 30_000)],
    ['a JPEG whose header claims 65500x65500', 'claims.jpg', () => jpegClaimingSize(65_500, 65_500)],
  ])(
    'refuses %s with ImageTooLargeError and a peak RSS under 400 MB',
    async (_what, name, build) => {
      // Prepare
      const file = join(dir, name);
      await writeFile(file, await build());

      // Act
      const report = await resizeInChildProcess(file);

      // Assess
      expect(report).toMatchObject({ kind: 'failed', name: 'ImageTooLargeError' });
      expect(report.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
      process.stdout.write(
        `[hardening] ${name}: refused in ${report.elapsedMs.toFixed(0)} ms, peak RSS ${(report.peakKb / 1024).toFixed(0)} MB\n`,
      );
    },
    60_000,
  );

  test('measures a real peak: decoding a normal photo raises VmHWM above the idle process', async () => {
    // Prepare
    const file = join(dir, 'flowers.jpeg');
    await writeFile(file, fixture('flowers.jpeg'));

    // Act
    const report = await resizeInChildProcess(file);

    // Assess
    expect(report.kind).toBe('succeeded');
    expect(report.peakKb).toBeGreaterThan(report.baselineKb);
  }, 60_000);
});
