/** What a container parser reads from the header: the duration and every track. */
export interface ContainerTrack {
  kind: 'video' | 'audio' | 'other';
  /** The container's own codec id (ISO-BMFF sample entry type, Matroska CodecID). */
  codecId: string;
  /** The pipeline's codec name, or null when it knows none. */
  codec: string | null;
  width?: number;
  height?: number;
  /** Clockwise rotation the container asks players to apply. */
  rotation?: 0 | 90 | 180 | 270;
  frameRate?: number;
  durationSeconds?: number;
  sampleRate?: number;
  channels?: number;
}

export interface ContainerHeader {
  durationSeconds: number | null;
  tracks: ContainerTrack[];
}

/** Highest frame rate any real encoder writes; a header declaring more frames per second is refused as corrupt. */
export const MAX_PLAUSIBLE_FPS = 1000;
