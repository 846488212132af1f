import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedClip, ENCODERS, letterbox, toneInput } from '../../tests/support/video-clips';
import { repoPath } from '../lib/paths';

/**
 * Real photos shown in turn, a quarter of the clip each: a group of 13 faces (the face mesh runs per face), a body, a
 * plain photo and a landscape (tests/fixtures/images, see its README).
 */
const PHOTOS = ['group-1.jpg', 'ai-body.jpg', 'flowers.jpeg', 'background.jpg'];
const PHOTO_BOX = { width: 960, height: 540 };

/** What the bench clip shows, for the results. */
export const BENCH_CLIP_CONTENT = `ffmpeg's testsrc2 pattern with real photos (${PHOTOS.join(', ')}) in turn drifting over its centre, light temporal noise, a 440 Hz tone; H.264 + AAC`;

/**
 * Makes (or reuses, from the temp folder) the bench's 720p clip: motion and noise keep the encoder busy in every frame
 * (a still slideshow would flatter the transcode), and real photos give the vision models faces, people and objects to
 * find (a test pattern alone would flatter the analysis).
 */
export async function makeBenchClip(options: { seconds: number; width: number; height: number; fps: number }): Promise<string> {
  const { seconds, width, height, fps } = options;
  const recipe = { ...options, PHOTOS, PHOTO_BOX, v: 2 };
  return cachedClip({ dir: join(tmpdir(), 'sip-bench-clips'), recipe, extension: 'mp4', timeoutMs: 600_000 }, () => {
    const each = seconds / PHOTOS.length;
    const photos = PHOTOS.flatMap((photo) => [
      '-loop',
      '1',
      '-framerate',
      String(fps),
      '-t',
      String(each),
      '-i',
      repoPath('tests', 'fixtures', 'images', photo),
    ]);
    const fit = PHOTOS.map((_photo, i) => `[${i + 1}:v]${letterbox(PHOTO_BOX.width, PHOTO_BOX.height)},format=yuv420p[p${i}]`);
    const filter = [
      ...fit,
      `${PHOTOS.map((_photo, i) => `[p${i}]`).join('')}concat=n=${PHOTOS.length}:v=1:a=0[photos]`,
      // The photo drifts and light temporal noise covers the frame, as in camera footage: every block changes each frame.
      `[0:v][photos]overlay=x='(W-w)/2+60*sin(t/2)':y='(H-h)/2+30*cos(t/3)':shortest=1,noise=alls=6:allf=t,format=yuv420p[v]`,
    ].join(';');
    return [
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
      ...photos,
      ...toneInput(seconds),
      '-filter_complex',
      filter,
      '-map',
      '[v]',
      '-map',
      `${PHOTOS.length + 1}:a`,
      ...ENCODERS.h264,
      '-c:a',
      'aac',
      '-t',
      String(seconds),
    ];
  });
}
