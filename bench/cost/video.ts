import { DEFAULT_VIDEO_LIMITS, type VideoFacts, type VideoPlan } from '@smart-image-pipeline/contracts';
import { planVideo } from '../../functions/probe-video/src/plan';
import { waitSeconds } from '../../functions/rekognition-video/src/analyse-video';
import type { AslDefinition } from '../../local/services/stepfunctions/asl-walker';
import { templateFunctions } from '../lib/template';
import { walkExecution } from './asl-transitions';
import { happyPathFacts, stateFunctions } from './gather';
import { PRICES } from './prices';

/** The unit prices the video estimate uses (USD). */
export interface VideoPriceTable {
  checkedOn: string;
  mediaConvert: {
    basicAvcPerOutputMinute: { sd: number; hd: number };
    minimumSecondsPerOutput: number;
    frameCaptureRate: 'sd' | 'hd';
  };
  rekognitionVideo: { labelDetectionPerMinute: number; contentModerationPerMinute: number };
  s3StandardPerGbMonth: number;
}

/**
 * Prices of the video branch (issue 14), us-east-1, checked 2026-12-05 with the search tool. Only the billing units are
 * confirmed for MediaConvert and Rekognition Video; their unit prices are NOT: the stored copies of
 * https://aws.amazon.com/mediaconvert/pricing/ and https://aws.amazon.com/rekognition/pricing/ render the price tables
 * dynamically (no numbers in the text), and no other stored page gave the us-east-1 rows.
 */
export const VIDEO_PRICES: VideoPriceTable = {
  checkedOn: '2026-12-05',
  mediaConvert: {
    /**
     * On-demand Basic tier, AVC single-pass (the plan's QVBR single pass), <= 30 fps, per output minute, first volume
     * tier: SD (below 720 lines) and HD (720-1080 lines). NOT CONFIRMED: these are the long-standing list prices
     * ($0.0075 SD, $0.015 HD); the only stored price rows found were other regions/codecs (AWS Price List, 2024-12-01:
     * "$0.0153/min - AWS GovCloud (US-West) - SD, VP8, <=30 fps, Basic Tier") and a 2021 note of $0.015 SD / $0.03 HD
     * for 30-60 fps. CONFIRMED (stored pricing page, German edition, and the AWS M&E blog on tiered pricing): each
     * output is billed per minute of output, in 1-second increments, at least 10 seconds; rates fall with monthly
     * normalized minutes (volume discounts ignored here); Basic tier covers AVC single-pass outputs.
     */
    basicAvcPerOutputMinute: { sd: 0.0075, hd: 0.015 },
    minimumSecondsPerOutput: 10,
    /**
     * A frame capture (JPEG) output is priced here like an SD output of the same duration. NOT CONFIRMED: no stored
     * page says how frame capture outputs are billed; this is the cautious reading (an output is an output).
     */
    frameCaptureRate: 'sd',
  },
  rekognitionVideo: {
    /**
     * Stored video analysis, per minute of video analysed, per API (StartLabelDetection, StartContentModeration).
     * NOT CONFIRMED: $0.10 per minute each is the long-standing list price; the stored pages confirm only that stored
     * video is billed per minute analysed (e.g. https://awsnegotiations.com/rekognition-cost-strategy.html), and the
     * model prorates by the second.
     */
    labelDetectionPerMinute: 0.1,
    contentModerationPerMinute: 0.1,
  },
  /** S3 Standard storage, first 50 TB, per GB-month (https://devnotes.tech/understanding-aws-s3-pricing-a-complete-cost-breakdown-with-examples). */
  s3StandardPerGbMonth: 0.023,
};

/**
 * What the estimate assumes about the upload and the services, stated rather than measured: a 1280x720 30 fps H.264
 * clip with stereo AAC (so the rendition is HD), QVBR outputs at their bitrate ceiling (an upper bound for storage),
 * Rekognition Video jobs that take as long as the video they analyse (AWS publishes no speed), one result page per
 * job, and the functions' billed durations below.
 */
export const VIDEO_ASSUMPTIONS = {
  width: 1280,
  height: 720,
  frameRate: 30,
  /** Bits per second stored per second of rendition (its QVBR ceiling plus the AAC track). */
  renditionBitsPerSecond: 3_500_000 + 96_000,
  /** Bits per second of the HLS ladder together (800 k + 2 M + 3.5 M ceilings, three AAC tracks). */
  hlsBitsPerSecond: 6_300_000 + 3 * 96_000,
  /** Rekognition Video job time per second of analysed video. */
  jobSecondsPerVideoSecond: 1,
  /** ProbeVideo's HeadObject and ranged GETs (measured on generated clips: at most 4 reads, README "Videos"). */
  probeReads: 5,
  /** Billed milliseconds per invocation, by function (stated estimates, not measured in the cloud). */
  lambdaMs: {
    TriggerStepFunctionFunction: 80,
    ResolveVersionFunction: 30,
    ResizeImageFunction: 150,
    ProbeVideoFunction: 300,
    ComposeVideoThumbnailsFunction: 1500,
    RekognitionVideoFunction: 400,
    StoreMetadataFunction: 300,
  } as Record<string, number>,
  /** DynamoDB write units a video's results take: the image item (~20 KB with segments, indexed) and ~30 label items. */
  dynamoWriteUnits: 2 * 20 + 30 * 2,
  /** Events a run publishes (Image Processed). */
  events: 1,
} as const;

/** One MediaConvert output: what it is, its resolution class and the seconds it is billed for. */
export interface PricedOutput {
  job: 'transcode' | 'analysisClip';
  name: string;
  kind: 'video' | 'frameCapture';
  height: number;
  seconds: number;
}

/** One row of a video's estimate. */
export interface VideoCostLine {
  service: string;
  item: string;
  units: number;
  unit: string;
  usd: number;
}

/** A video's estimate: its rows and total, and the facts they were computed from. */
export interface VideoCostEstimate {
  durationSeconds: number;
  hls: boolean;
  analysedSeconds: number;
  polls: number;
  transitions: number;
  outputs: PricedOutput[];
  lines: VideoCostLine[];
  usd: number;
}

type Json = Record<string, any>;

/** The facts ProbeVideo would report for the assumed upload of `durationSeconds`. */
export function assumedFacts(durationSeconds: number): VideoFacts {
  const { width, height, frameRate } = VIDEO_ASSUMPTIONS;
  return {
    container: 'mp4',
    contentType: 'video/mp4',
    bytes: Math.round((durationSeconds * 8_000_000) / 8),
    durationSeconds,
    width,
    height,
    rotation: 0,
    frameRate,
    videoCodec: 'h264',
    audioCodec: 'aac',
    streams: [],
    headerBytesRead: 0,
  };
}

/** ProbeVideo's real plan for the assumed upload of `durationSeconds`. */
export function assumedPlan(durationSeconds: number, hls: boolean, maxAnalysisMinutes: number): VideoPlan {
  return planVideo(
    { imageId: '0'.repeat(32), revision: 'r', source: { bucket: 'uploads', key: 'uploads/video.mp4' } },
    assumedFacts(durationSeconds),
    { processedBucketName: 'processed', maxAnalysisMinutes, hlsEnabled: hls },
  );
}

/**
 * Every MediaConvert output ProbeVideo's real plan asks for (the rendition, the poster and thumbnail frame captures,
 * the HLS rungs when on, the analysis clip of a long video), with the seconds each is billed for: its duration
 * (the clip's for the analysis clip), rounded up to whole seconds, at least the 10-second minimum.
 */
export function pricedOutputs(plan: VideoPlan, durationSeconds: number): PricedOutput[] {
  const billed = (seconds: number) => Math.max(VIDEO_PRICES.mediaConvert.minimumSecondsPerOutput, Math.ceil(seconds));
  const outputsOf = (settings: Json, job: PricedOutput['job'], seconds: number): PricedOutput[] =>
    (settings.OutputGroups as Json[]).flatMap((group) =>
      (group.Outputs as Json[]).map((output) => ({
        job,
        name: `${group.Name}${output.NameModifier ?? ''}`,
        kind: output.VideoDescription?.CodecSettings?.Codec === 'FRAME_CAPTURE' ? ('frameCapture' as const) : ('video' as const),
        height: Number(output.VideoDescription?.Height ?? 0),
        seconds: billed(seconds),
      })),
    );
  return [
    ...outputsOf(plan.transcode.settings, 'transcode', durationSeconds),
    ...(plan.analysisClip ? outputsOf(plan.analysisClip.settings, 'analysisClip', plan.analysis.seconds) : []),
  ];
}

/** The dollars of one output: its minutes at the SD or HD rate (frame captures at the rate VIDEO_PRICES names). */
export function outputUsd(output: PricedOutput, prices: VideoPriceTable = VIDEO_PRICES): number {
  const rates = prices.mediaConvert.basicAvcPerOutputMinute;
  const rate = output.kind === 'frameCapture' ? rates[prices.mediaConvert.frameCaptureRate] : output.height >= 720 ? rates.hd : rates.sd;
  return (output.seconds / 60) * rate;
}

/**
 * The states a video run enters: the ASL walked with a video's facts (the analysis clip when the plan has one), with
 * the polling loop (the Choice whose Default leads back, and the states from there to it) entered `polls` times.
 */
export function videoPath(asl: AslDefinition, clipped: boolean, polls: number): string[] {
  const once = walkExecution(asl, {
    ...happyPathFacts(),
    '$.resize.mediaType': 'video',
    '$.video.plan.analysisClip': clipped ? { settings: {} } : null,
    '$.videoAnalysis.done': true,
  });
  const loopEnd = once.findIndex((name, index) => {
    const state = asl.States[name] as Json;
    return state.Type === 'Choice' && typeof state.Default === 'string' && once.slice(0, index).includes(state.Default);
  });
  if (loopEnd < 0) return once;
  const loop = once.slice(once.indexOf((asl.States[once[loopEnd]] as Json).Default), loopEnd + 1);
  return [...once.slice(0, loopEnd + 1), ...Array.from({ length: Math.max(0, polls - 1) }, () => loop).flat(), ...once.slice(loopEnd + 1)];
}

/** How many times CollectVideoAnalysis runs: once per wait until jobs as long as the analysed video have finished. */
export function pollsFor(analysedSeconds: number): number {
  const jobSeconds = analysedSeconds * VIDEO_ASSUMPTIONS.jobSecondsPerVideoSecond;
  return Math.max(1, Math.ceil(jobSeconds / waitSeconds(analysedSeconds)));
}

/**
 * The estimated price of one video of `durationSeconds` at the defaults (720p H.264 upload, VideoAnalysisMaxMinutes
 * 10, HLS off unless `hls`), from ProbeVideo's real plan, the ASL walked for the video branch and the template's
 * function memory; the unit prices are VIDEO_PRICES' and PRICES' (free tiers and volume discounts ignored).
 */
export function videoCost(
  durationSeconds: number,
  options: { hls?: boolean; maxAnalysisMinutes?: number; prices?: VideoPriceTable } = {},
): VideoCostEstimate {
  const hls = options.hls ?? false;
  const prices = options.prices ?? VIDEO_PRICES;
  const maxAnalysisMinutes = options.maxAnalysisMinutes ?? DEFAULT_VIDEO_LIMITS.maxAnalysisMinutes;
  const plan = assumedPlan(durationSeconds, hls, maxAnalysisMinutes);
  const outputs = pricedOutputs(plan, durationSeconds);
  const analysedSeconds = Math.min(durationSeconds, maxAnalysisMinutes * 60);
  const clipped = outputs.some((output) => output.job === 'analysisClip');
  const polls = pollsFor(analysedSeconds);
  const { asl, functionOf } = stateFunctions();
  const path = videoPath(asl, clipped, polls);
  const lines: VideoCostLine[] = [];
  const add = (service: string, item: string, units: number, unit: string, usd: number) => lines.push({ service, item, units, unit, usd });

  for (const kind of ['video', 'frameCapture'] as const) {
    const matching = outputs.filter((output) => output.kind === kind);
    const minutes = matching.reduce((sum, output) => sum + output.seconds / 60, 0);
    const usd = matching.reduce((sum, output) => sum + outputUsd(output, prices), 0);
    const names = matching.map((output) => output.name).join(', ');
    add('MediaConvert', `${kind === 'video' ? 'H.264 outputs' : 'frame capture outputs'} (${names})`, minutes, 'output min', usd);
  }
  const analysedMinutes = analysedSeconds / 60;
  add(
    'Rekognition Video',
    'StartLabelDetection',
    analysedMinutes,
    'min',
    analysedMinutes * prices.rekognitionVideo.labelDetectionPerMinute,
  );
  add(
    'Rekognition Video',
    'StartContentModeration',
    analysedMinutes,
    'min',
    analysedMinutes * prices.rekognitionVideo.contentModerationPerMinute,
  );

  add(
    'Step Functions',
    'state transitions (video branch, walked)',
    path.length,
    'transitions',
    path.length * PRICES.stepFunctions.standardPerTransition,
  );
  const memory = new Map(templateFunctions().map((fn) => [fn.logicalId, fn.memoryMb]));
  const invocations = ['TriggerStepFunctionFunction', ...path.map(functionOf).filter((id): id is string => id !== undefined)];
  const gbSeconds = invocations.reduce(
    (sum, id) => sum + ((memory.get(id) ?? 0) / 1024) * ((VIDEO_ASSUMPTIONS.lambdaMs[id] ?? 500) / 1000),
    0,
  );
  add(
    'Lambda',
    `${invocations.length} invocations (${[...new Set(invocations)].join(', ')})`,
    gbSeconds,
    'GB-s',
    gbSeconds * PRICES.lambda.arm64GbSecond[0].usd + invocations.length * PRICES.lambda.perRequest,
  );

  const thumbnailCount = plan.thumbnails.count;
  const hlsRungs = outputs.filter((output) => output.name.startsWith('HLS')).length;
  const hlsObjects = hlsRungs > 0 ? hlsRungs * (Math.ceil(durationSeconds / 6) + 1) + 1 : 0;
  // Upload, rendition, 2 poster captures, thumbnails, sprite, 2 raw result pages, the clip, HLS files; 2 LISTs (PUT tier).
  const puts = 1 + 1 + 2 + thumbnailCount + 1 + 2 + (clipped ? 1 : 0) + hlsObjects + 2;
  // ResizeImage's 64-byte read, the probe's reads, MediaConvert reading the upload once per job, the sprite step reading
  // every capture, Rekognition reading the analysed video once per job.
  const gets = 1 + VIDEO_ASSUMPTIONS.probeReads + (clipped ? 2 : 1) + thumbnailCount + 1 + 2;
  add('S3', 'PUT/LIST requests', puts, 'requests', puts * PRICES.s3.putPerRequest);
  add('S3', 'GET/HEAD requests', gets, 'requests', gets * PRICES.s3.getPerRequest);
  const storedGb =
    ((VIDEO_ASSUMPTIONS.renditionBitsPerSecond + (hlsRungs > 0 ? VIDEO_ASSUMPTIONS.hlsBitsPerSecond : 0)) * durationSeconds) /
    8 /
    1024 ** 3;
  add('S3', 'storage of the outputs, one month (QVBR ceilings)', storedGb, 'GB-month', storedGb * prices.s3StandardPerGbMonth);
  add(
    'DynamoDB',
    'item and label writes',
    VIDEO_ASSUMPTIONS.dynamoWriteUnits,
    'WRU',
    VIDEO_ASSUMPTIONS.dynamoWriteUnits * PRICES.dynamodb.onDemandPerWru,
  );
  add(
    'EventBridge',
    'Image Processed',
    VIDEO_ASSUMPTIONS.events,
    'events',
    VIDEO_ASSUMPTIONS.events * PRICES.eventBridge.customEventPerEvent,
  );

  return {
    durationSeconds,
    hls,
    analysedSeconds,
    polls,
    transitions: path.length,
    outputs,
    lines,
    usd: lines.reduce((sum, line) => sum + line.usd, 0),
  };
}

/** The durations `npm run cost` prices (1, 10 and 30 minutes: the last one shows the analysis bound). */
export const PRICED_DURATIONS_MINUTES = [1, 10, 30] as const;

/** The `npm run cost` section: per video at the stated durations, HLS off and on, with what is and is not confirmed. */
export function videoCostLines(): string[] {
  const rows = PRICED_DURATIONS_MINUTES.flatMap((minutes) => [videoCost(minutes * 60), videoCost(minutes * 60, { hls: true })]);
  const byService = (estimate: VideoCostEstimate, service: string) =>
    estimate.lines.filter((line) => line.service === service).reduce((sum, line) => sum + line.usd, 0);
  const services = ['MediaConvert', 'Rekognition Video', 'Step Functions', 'Lambda', 'S3', 'DynamoDB', 'EventBridge'];
  const header = ['video', 'HLS', 'analysed', 'polls', 'transitions', ...services, 'total'];
  const table = rows.map((estimate) => [
    `${estimate.durationSeconds / 60} min`,
    estimate.hls ? 'on' : 'off',
    `${estimate.analysedSeconds / 60} min`,
    String(estimate.polls),
    String(estimate.transitions),
    ...services.map((service) => `$${byService(estimate, service).toFixed(4)}`),
    `$${estimate.usd.toFixed(4)}`,
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...table.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const { basicAvcPerOutputMinute: rates } = VIDEO_PRICES.mediaConvert;
  return [
    `Cost per video (bench/cost/video.ts; a 1280x720 30 fps H.264 upload with AAC, VideoAnalysisMaxMinutes ${DEFAULT_VIDEO_LIMITS.maxAnalysisMinutes}, ProbeVideo's real plan, the ASL walked for the video branch):`,
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...table.map(line),
    `  MediaConvert Basic tier, AVC single-pass, <= 30 fps: $${rates.sd}/output min SD, $${rates.hd}/output min HD (the rendition and the 720p rung are HD; 360p/540p rungs SD); frame capture outputs priced as SD outputs; each output billed per second, at least 10 s.`,
    `  Rekognition Video: $${VIDEO_PRICES.rekognitionVideo.labelDetectionPerMinute}/min StartLabelDetection + $${VIDEO_PRICES.rekognitionVideo.contentModerationPerMinute}/min StartContentModeration of the analysed minutes (at most ${DEFAULT_VIDEO_LIMITS.maxAnalysisMinutes}; a longer video gets an SD analysis clip).`,
    '  NOT CONFIRMED: the MediaConvert and Rekognition Video unit prices above (stored pricing pages show no numbers; long-standing list prices used) and how frame capture outputs are billed; the billing units are confirmed. See README "Videos".',
    '',
  ];
}
