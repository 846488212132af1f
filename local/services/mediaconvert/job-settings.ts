import { AwsServiceError } from '../../edge/aws-error';

/** What the local transcoder does for one output: an MP4 or HLS rendition, or JPEG frame captures. */
export type PlannedOutput =
  | { kind: 'mp4'; path: string; width?: number; height?: number; maxBitrate?: number; audio: boolean }
  | {
      kind: 'hls';
      path: string;
      width?: number;
      height?: number;
      maxBitrate?: number;
      audio: boolean;
      segmentSeconds: number;
      variantName: string;
    }
  | { kind: 'frames'; pathPrefix: string; width?: number; height?: number; everySeconds: number; maxCaptures: number; quality: number };

/** One job, as the local transcoder runs it. */
export interface PlannedJob {
  input: { bucket: string; key: string; clip?: { startSeconds: number; endSeconds: number } };
  /** Outputs by destination bucket. */
  outputs: Array<{ bucket: string; output: PlannedOutput }>;
  /** HLS master playlists to write: bucket, key and their variants. */
  hlsMasters: Array<{ bucket: string; key: string; variants: string[] }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- MediaConvert JobSettings as sent; planJob checks every field it reads
type Json = Record<string, any>;

const bad = (message: string) => new AwsServiceError('BadRequestException', 400, `Local MediaConvert: ${message}`);

function s3Uri(uri: unknown, what: string): { bucket: string; key: string } {
  const match = typeof uri === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) : null;
  if (!match) throw bad(`${what} must be an s3://bucket/key URI (got ${JSON.stringify(uri)})`);
  return { bucket: match[1], key: match[2] };
}

/** HH:MM:SS:FF (frames ignored) to seconds. */
function seconds(timecode: unknown, what: string): number {
  const match = typeof timecode === 'string' ? /^(\d{2}):(\d{2}):(\d{2})[:;](\d{2})$/.exec(timecode) : null;
  if (!match) throw bad(`${what} must be a HH:MM:SS:FF timecode`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

function video(description: Json | undefined, codec: string, where: string): { width?: number; height?: number; settings: Json } {
  const settings = description?.CodecSettings;
  if (settings?.Codec !== codec) throw bad(`${where}: only ${codec} is supported here (got ${JSON.stringify(settings?.Codec)})`);
  return { width: description?.Width, height: description?.Height, settings };
}

/**
 * Reads the subset of MediaConvert JobSettings the local transcoder implements (one S3 input with optional
 * InputClippings; FILE_GROUP_SETTINGS with MP4/H_264 and RAW/FRAME_CAPTURE outputs; HLS_GROUP_SETTINGS with
 * M3U8/H_264 outputs), refusing anything else by name, as MediaConvert's own validation would.
 * @throws AwsServiceError BadRequestException
 */
export function planJob(settings: Json): PlannedJob {
  const inputs = settings?.Inputs;
  if (!Array.isArray(inputs) || inputs.length !== 1) throw bad('exactly one input is supported');
  const source = s3Uri(inputs[0].FileInput, 'Inputs[0].FileInput');
  const clippings = inputs[0].InputClippings;
  const clip =
    Array.isArray(clippings) && clippings.length > 0
      ? {
          startSeconds: clippings[0].StartTimecode ? seconds(clippings[0].StartTimecode, 'StartTimecode') : 0,
          endSeconds: seconds(clippings[0].EndTimecode, 'EndTimecode'),
        }
      : undefined;
  const outputs: PlannedJob['outputs'] = [];
  const hlsMasters: PlannedJob['hlsMasters'] = [];
  const groups = settings.OutputGroups;
  if (!Array.isArray(groups) || groups.length === 0) throw bad('Settings.OutputGroups must list at least one group');
  groups.forEach((group: Json, g: number) => {
    const type = group.OutputGroupSettings?.Type;
    if (type === 'FILE_GROUP_SETTINGS') {
      const base = s3Uri(group.OutputGroupSettings.FileGroupSettings?.Destination, `OutputGroups[${g}] Destination`);
      for (const [o, output] of (group.Outputs ?? []).entries() as Iterable<[number, Json]>) {
        const where = `OutputGroups[${g}].Outputs[${o}]`;
        const name = `${base.key}${output.NameModifier ?? ''}`;
        const container = output.ContainerSettings?.Container;
        if (container === 'MP4') {
          const { width, height, settings: codec } = video(output.VideoDescription, 'H_264', where);
          outputs.push({
            bucket: base.bucket,
            output: {
              kind: 'mp4',
              path: `${name}.mp4`,
              width,
              height,
              maxBitrate: codec.H264Settings?.MaxBitrate,
              audio: Array.isArray(output.AudioDescriptions) && output.AudioDescriptions.length > 0,
            },
          });
        } else if (container === 'RAW') {
          const { width, height, settings: codec } = video(output.VideoDescription, 'FRAME_CAPTURE', where);
          const capture = codec.FrameCaptureSettings ?? {};
          outputs.push({
            bucket: base.bucket,
            output: {
              kind: 'frames',
              pathPrefix: name,
              width,
              height,
              everySeconds: (capture.FramerateDenominator ?? 1) / (capture.FramerateNumerator ?? 1),
              maxCaptures: capture.MaxCaptures ?? 10_000_000,
              quality: capture.Quality ?? 80,
            },
          });
        } else {
          throw bad(`${where}: container ${JSON.stringify(container)} is not supported in a file group (MP4, RAW)`);
        }
      }
    } else if (type === 'HLS_GROUP_SETTINGS') {
      const hls = group.OutputGroupSettings.HlsGroupSettings ?? {};
      const base = s3Uri(hls.Destination, `OutputGroups[${g}] Destination`);
      const variants: string[] = [];
      for (const [o, output] of (group.Outputs ?? []).entries() as Iterable<[number, Json]>) {
        if (output.ContainerSettings?.Container !== 'M3U8') throw bad(`OutputGroups[${g}].Outputs[${o}]: an HLS group needs M3U8 outputs`);
        const { width, height, settings: codec } = video(output.VideoDescription, 'H_264', `OutputGroups[${g}].Outputs[${o}]`);
        const variantName = `${base.key}${output.NameModifier ?? `-${o}`}`;
        variants.push(variantName);
        outputs.push({
          bucket: base.bucket,
          output: {
            kind: 'hls',
            path: `${variantName}.m3u8`,
            width,
            height,
            maxBitrate: codec.H264Settings?.MaxBitrate,
            audio: Array.isArray(output.AudioDescriptions) && output.AudioDescriptions.length > 0,
            segmentSeconds: hls.SegmentLength ?? 10,
            variantName,
          },
        });
      }
      hlsMasters.push({ bucket: base.bucket, key: `${base.key}.m3u8`, variants });
    } else {
      throw bad(`OutputGroups[${g}]: group type ${JSON.stringify(type)} is not supported (FILE_GROUP_SETTINGS, HLS_GROUP_SETTINGS)`);
    }
  });
  return { input: { ...source, clip }, outputs, hlsMasters };
}
