import { join } from 'node:path';
import { isObject } from '@smart-image-pipeline/contracts';
import { JsonRecordFolder } from '../../json-record-folder';
import type { VideoMetadata } from './frame-sampler';
import type { FrameFindings, FrameLabel, FrameModerationLabel } from './video-results';

/** A Rekognition Video job as the local service keeps it: what Get* answers from. */
export interface VideoJob {
  id: string;
  kind: 'labels' | 'moderation';
  token?: string;
  video: { Bucket: string; Name: string; Version?: string };
  jobTag?: string;
  minConfidence: number;
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  statusMessage?: string;
  metadata?: VideoMetadata;
  intervalMillis?: number;
  frames?: Array<FrameFindings<FrameLabel | FrameModerationLabel>>;
  modelVersion?: string;
}

function isVideoJob(value: unknown): value is VideoJob {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    (value.kind === 'labels' || value.kind === 'moderation') &&
    isObject(value.video) &&
    typeof value.video.Bucket === 'string' &&
    typeof value.video.Name === 'string' &&
    ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'].includes(value.status as string)
  );
}

/** The jobs on disk: one JSON file per job under `<dataDir>/rekognition/video-jobs/`. */
export const openVideoJobStore = (dataDir: string) =>
  new JsonRecordFolder<VideoJob>(join(dataDir, 'rekognition', 'video-jobs'), isVideoJob);
