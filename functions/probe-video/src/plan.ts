import {
  VIDEO_OUTPUT_BASES,
  VIDEO_OUTPUT_SIZES,
  videoAnalysisClipKey,
  videoDestination,
  videoHlsKey,
  videoPosterCapturesPrefix,
  videoRenditionKey,
  videoSpriteKey,
  videoThumbnailCapturesPrefix,
  type ThumbnailPlan,
  type VideoFacts,
  type VideoPlan,
} from '@smart-image-pipeline/contracts';

/** What the plan needs besides the facts. */
export interface PlanSettings {
  processedBucketName: string;
  maxAnalysisMinutes: number;
  hlsEnabled: boolean;
}

/** The upload the plan transcodes. */
export interface PlanSource {
  imageId: string;
  revision: string;
  source: { bucket: string; key: string };
}

/** HLS rungs (height, QVBR ceiling in bits/s); only those not above the rendition are made. */
const HLS_LADDER = [
  { height: 360, maxBitrate: 800_000 },
  { height: 540, maxBitrate: 2_000_000 },
  { height: 720, maxBitrate: 3_500_000 },
] as const;

type Json = Record<string, unknown>;

const even = (value: number): number => Math.max(2, 2 * Math.round(value / 2));

/** Fits width x height into a box (landscape or portrait alike), never upscaling, with even sides (H.264 needs them). */
export function fitEven(width: number, height: number, longSide: number, shortSide: number): { width: number; height: number } {
  const [boxW, boxH] = width >= height ? [longSide, shortSide] : [shortSide, longSide];
  const scale = Math.min(1, boxW / width, boxH / height);
  return { width: even(width * scale), height: even(height * scale) };
}

/** One thumbnail every ceil(duration / maxThumbnails) seconds (at least 1 s), laid out 10 to a sprite row. */
export function planThumbnails(facts: Pick<VideoFacts, 'durationSeconds' | 'width' | 'height'>): ThumbnailPlan {
  const { maxThumbnails, thumbnailWidth, spriteColumns } = VIDEO_OUTPUT_SIZES;
  const intervalSeconds = Math.max(1, Math.ceil(facts.durationSeconds / maxThumbnails));
  const count = Math.min(maxThumbnails, Math.max(1, Math.ceil(facts.durationSeconds / intervalSeconds)));
  const width = Math.min(thumbnailWidth, even(facts.width));
  return { intervalSeconds, count, width, height: even((width * facts.height) / facts.width), columns: Math.min(spriteColumns, count) };
}

/** The second the poster is captured at: 10% in (a first frame is often black), in whole seconds; 0 under 2 s. */
export function posterSecond(durationSeconds: number): number {
  return durationSeconds < 2 ? 0 : Math.max(1, Math.round(durationSeconds * VIDEO_OUTPUT_SIZES.posterAt));
}

const h264 = (width: number, height: number, maxBitrate: number): Json => ({
  Width: width,
  Height: height,
  ScalingBehavior: 'DEFAULT',
  CodecSettings: {
    Codec: 'H_264',
    // QVBR single pass: the Basic pricing tier, and the quality MediaConvert recommends for web delivery.
    H264Settings: {
      RateControlMode: 'QVBR',
      QvbrSettings: { QvbrQualityLevel: 7 },
      MaxBitrate: maxBitrate,
      QualityTuningLevel: 'SINGLE_PASS',
      SceneChangeDetect: 'TRANSITION_DETECTION',
      CodecProfile: 'MAIN',
    },
  },
});

const aac = (): Json[] => [
  { CodecSettings: { Codec: 'AAC', AacSettings: { Bitrate: 96_000, CodingMode: 'CODING_MODE_2_0', SampleRate: 48_000 } } },
];

const frameCapture = (width: number, height: number, everySeconds: number, maxCaptures: number, quality: number): Json => ({
  Width: width,
  Height: height,
  CodecSettings: {
    Codec: 'FRAME_CAPTURE',
    FrameCaptureSettings: { FramerateNumerator: 1, FramerateDenominator: everySeconds, MaxCaptures: maxCaptures, Quality: quality },
  },
});

function input(fileInput: string, withAudio: boolean, clipSeconds?: number): Json {
  return {
    FileInput: fileInput,
    // Players honour a rotation flag; the outputs are written upright instead.
    VideoSelector: { Rotate: 'AUTO' },
    TimecodeSource: 'ZEROBASED',
    ...(withAudio ? { AudioSelectors: { 'Audio Selector 1': { DefaultSelection: 'DEFAULT' } } } : {}),
    ...(clipSeconds === undefined
      ? {}
      : { InputClippings: [{ StartTimecode: '00:00:00:00', EndTimecode: `${timecode(clipSeconds)}:00` }] }),
  };
}

/** Seconds as HH:MM:SS. */
export function timecode(seconds: number): string {
  const s = Math.floor(seconds);
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((part) => String(part).padStart(2, '0')).join(':');
}

/**
 * Plans the MediaConvert jobs of one video: an H.264 MP4 rendition at ≤ 720p, a poster frame and the thumbnails
 * (frame captures), the HLS ladder when switched on, and a clip of the first maxAnalysisMinutes when the video is
 * longer (so Rekognition Video, billed per minute, never analyses more).
 */
export function planVideo(upload: PlanSource, facts: VideoFacts, settings: PlanSettings): VideoPlan {
  const { imageId, revision, source } = upload;
  const bucket = settings.processedBucketName;
  const fileInput = `s3://${source.bucket}/${source.key}`;
  const withAudio = facts.audioCodec !== null;
  const rendition = fitEven(facts.width, facts.height, VIDEO_OUTPUT_SIZES.renditionMaxWidth, VIDEO_OUTPUT_SIZES.renditionMaxHeight);
  const thumbnails = planThumbnails(facts);
  const poster = posterSecond(facts.durationSeconds);
  const destination = (base: string) => videoDestination(bucket, imageId, revision, base);

  const outputGroups: Json[] = [
    {
      Name: 'Rendition',
      OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: destination(VIDEO_OUTPUT_BASES.rendition) } },
      Outputs: [
        {
          // The index first, so browsers start playing before the whole file has arrived.
          ContainerSettings: { Container: 'MP4', Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' } },
          VideoDescription: h264(rendition.width, rendition.height, 3_500_000),
          ...(withAudio ? { AudioDescriptions: aac() } : {}),
        },
      ],
    },
    {
      Name: 'Frames',
      OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: destination(VIDEO_OUTPUT_BASES.frames) } },
      Outputs: [
        // Captures at 0 s and at the poster second; the last capture is the poster.
        {
          NameModifier: '-poster',
          ContainerSettings: { Container: 'RAW' },
          VideoDescription: frameCapture(rendition.width, rendition.height, Math.max(1, poster), poster === 0 ? 1 : 2, 85),
        },
        {
          NameModifier: '-thumb',
          ContainerSettings: { Container: 'RAW' },
          VideoDescription: frameCapture(thumbnails.width, thumbnails.height, thumbnails.intervalSeconds, thumbnails.count, 70),
        },
      ],
    },
  ];
  if (settings.hlsEnabled) {
    const rungs = HLS_LADDER.filter((rung, index) => index === 0 || rung.height <= rendition.height);
    outputGroups.push({
      Name: 'HLS',
      OutputGroupSettings: {
        Type: 'HLS_GROUP_SETTINGS',
        HlsGroupSettings: {
          Destination: destination(VIDEO_OUTPUT_BASES.hls),
          SegmentLength: 6,
          MinSegmentLength: 0,
          OutputSelection: 'MANIFESTS_AND_SEGMENTS',
          DirectoryStructure: 'SINGLE_DIRECTORY',
        },
      },
      Outputs: rungs.map((rung) => {
        const size = fitEven(facts.width, facts.height, Math.round((rung.height * 16) / 9), rung.height);
        return {
          NameModifier: `-${rung.height}p`,
          ContainerSettings: { Container: 'M3U8', M3u8Settings: {} },
          VideoDescription: h264(size.width, size.height, rung.maxBitrate),
          ...(withAudio ? { AudioDescriptions: aac() } : {}),
        };
      }),
    });
  }

  const boundSeconds = settings.maxAnalysisMinutes * 60;
  const clipped = facts.durationSeconds > boundSeconds;
  const clipSize = fitEven(
    facts.width,
    facts.height,
    Math.round((VIDEO_OUTPUT_SIZES.analysisClipMaxHeight * 16) / 9),
    VIDEO_OUTPUT_SIZES.analysisClipMaxHeight,
  );
  return {
    transcode: { settings: { Inputs: [input(fileInput, withAudio)], OutputGroups: outputGroups } },
    analysisClip: clipped
      ? {
          settings: {
            Inputs: [input(fileInput, false, boundSeconds)],
            OutputGroups: [
              {
                Name: 'AnalysisClip',
                OutputGroupSettings: {
                  Type: 'FILE_GROUP_SETTINGS',
                  FileGroupSettings: { Destination: destination(VIDEO_OUTPUT_BASES.analysisClip) },
                },
                Outputs: [
                  {
                    ContainerSettings: { Container: 'MP4', Mp4Settings: {} },
                    VideoDescription: h264(clipSize.width, clipSize.height, 1_500_000),
                  },
                ],
              },
            ],
          },
        }
      : null,
    outputs: {
      bucket,
      renditionKey: videoRenditionKey(imageId, revision),
      renditionWidth: rendition.width,
      renditionHeight: rendition.height,
      posterPrefix: videoPosterCapturesPrefix(imageId, revision),
      thumbnailPrefix: videoThumbnailCapturesPrefix(imageId, revision),
      spriteKey: videoSpriteKey(imageId, revision),
      hlsKey: settings.hlsEnabled ? videoHlsKey(imageId, revision) : null,
    },
    thumbnails,
    analysis: {
      bucket,
      key: clipped ? videoAnalysisClipKey(imageId, revision) : videoRenditionKey(imageId, revision),
      seconds: Math.min(facts.durationSeconds, boundSeconds),
      clipped,
    },
  };
}
