import { createHash } from 'node:crypto';
import type { SampledVideo } from './frame-sampler';

/** One job's claim on a video's sampled frames. */
export interface FrameLease {
  /** The video's frames, sampled by the first lease that asks (ffmpeg runs once per video, not once per job). */
  frames(): Promise<SampledVideo>;
  /** Ends the claim; the frames are dropped when no job holds them any more. */
  release(): void;
}

interface Entry {
  holders: number;
  sampled?: Promise<SampledVideo>;
}

/**
 * Shares sampled frames between the jobs of one video. StartLabelDetection and StartContentModeration on the same
 * bytes (what the pipeline starts for every video) ask for the same frames at the same rate, so the second job reuses
 * what the first decoded. Frames are keyed by the bytes' SHA-256 (a re-upload under the same key is another video) and
 * live only while a queued or running job holds them, which bounds the memory to the videos being analysed.
 */
export class SharedFrames {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly sample: (bytes: Buffer) => Promise<SampledVideo>) {}

  /** Claims the frames of these bytes until `release()`. */
  lease(bytes: Buffer): FrameLease {
    const key = createHash('sha256').update(bytes).digest('hex');
    const entry = this.entries.get(key) ?? { holders: 0 };
    this.entries.set(key, entry);
    entry.holders += 1;
    let released = false;
    return {
      frames: () => {
        entry.sampled ??= this.sample(bytes);
        return entry.sampled;
      },
      release: () => {
        if (released) return;
        released = true;
        entry.holders -= 1;
        if (entry.holders === 0 && this.entries.get(key) === entry) this.entries.delete(key);
      },
    };
  }

  /** Videos whose frames are held now (tests). */
  get size(): number {
    return this.entries.size;
  }
}
