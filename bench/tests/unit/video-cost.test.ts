import { stateFunctions } from '../../cost/gather';
import { PRICES } from '../../cost/prices';
import {
  assumedPlan,
  outputUsd,
  pollsFor,
  pricedOutputs,
  videoCost,
  videoCostLines,
  videoPath,
  VIDEO_PRICES,
  type VideoPriceTable,
} from '../../cost/video';

/** Round prices, so the expected dollars can be worked out by hand (the model's arithmetic, not AWS's prices). */
const ROUND_PRICES: VideoPriceTable = {
  ...VIDEO_PRICES,
  mediaConvert: { ...VIDEO_PRICES.mediaConvert, basicAvcPerOutputMinute: { sd: 1, hd: 2 } },
  rekognitionVideo: { labelDetectionPerMinute: 10, contentModerationPerMinute: 20 },
};

const usdOf = (estimate: ReturnType<typeof videoCost>, service: string) =>
  estimate.lines.filter((line) => line.service === service).reduce((sum, line) => sum + line.usd, 0);

describe('cost per video (bench/cost/video.ts)', () => {
  it('bills each MediaConvert output per second with a 10 s minimum, HD from 720 lines, frame captures at the SD rate', () => {
    // Act
    const hd = outputUsd({ job: 'transcode', name: 'Rendition', kind: 'video', height: 720, seconds: 90 }, ROUND_PRICES);
    const sd = outputUsd({ job: 'transcode', name: 'HLS-540p', kind: 'video', height: 540, seconds: 90 }, ROUND_PRICES);
    const capture = outputUsd({ job: 'transcode', name: 'Frames-poster', kind: 'frameCapture', height: 720, seconds: 90 }, ROUND_PRICES);
    const short = pricedOutputs(assumedPlan(4, false, 10), 4);

    // Assess
    expect([hd, sd, capture]).toEqual([3, 1.5, 1.5]);
    expect(short.map((output) => output.seconds)).toEqual([10, 10, 10]);
  });

  it("prices the outputs ProbeVideo's plan asks for: the rendition and two frame captures, the HLS rungs when on, the clip of a long video", () => {
    // Act
    const plain = pricedOutputs(assumedPlan(60, false, 10), 60);
    const withHls = pricedOutputs(assumedPlan(60, true, 10), 60);
    const long = pricedOutputs(assumedPlan(1800, false, 10), 1800);

    // Assess
    expect(plain.map(({ name, kind, height, seconds }) => [name, kind, height, seconds])).toEqual([
      ['Rendition', 'video', 720, 60],
      ['Frames-poster', 'frameCapture', 720, 60],
      ['Frames-thumb', 'frameCapture', 90, 60],
    ]);
    expect(withHls.filter((output) => output.name.startsWith('HLS')).map((output) => output.height)).toEqual([360, 540, 720]);
    expect(long.filter((output) => output.job === 'analysisClip').map((output) => [output.height, output.seconds])).toEqual([[480, 600]]);
  });

  it('adds the MediaConvert and Rekognition Video dollars as the outputs and analysed minutes say, bounded by the analysis limit', () => {
    // Act
    const minute = videoCost(60, { prices: ROUND_PRICES });
    const minuteHls = videoCost(60, { hls: true, prices: ROUND_PRICES });
    const halfHour = videoCost(1800, { prices: ROUND_PRICES });

    // Assess: 1 HD minute (2) + 2 frame-capture minutes at SD (2); labels 10 + moderation 20 per analysed minute.
    expect(usdOf(minute, 'MediaConvert')).toBeCloseTo(4, 10);
    expect(usdOf(minute, 'Rekognition Video')).toBeCloseTo(30, 10);
    // HLS adds 360p and 540p (SD, 1 each) and 720p (HD, 2).
    expect(usdOf(minuteHls, 'MediaConvert') - usdOf(minute, 'MediaConvert')).toBeCloseTo(4, 10);
    // 30 min: 30 HD + 60 SD capture minutes + a 10-minute SD analysis clip; analysis stops at 10 minutes.
    expect(usdOf(halfHour, 'MediaConvert')).toBeCloseTo(30 * 2 + 60 + 10, 10);
    expect(halfHour.analysedSeconds).toBe(600);
    expect(usdOf(halfHour, 'Rekognition Video')).toBeCloseTo(10 * 30, 10);
    for (const estimate of [minute, minuteHls, halfHour])
      expect(estimate.usd).toBeCloseTo(
        estimate.lines.reduce((sum, line) => sum + line.usd, 0),
        12,
      );
    expect(usdOf(minute, 'Step Functions')).toBeCloseTo(minute.transitions * PRICES.stepFunctions.standardPerTransition, 12);
  });

  it('walks the video branch of the ASL: each extra poll enters the wait-collect-check loop again, a long video cuts a clip', () => {
    // Prepare
    const { asl } = stateFunctions();

    // Act
    const once = videoPath(asl, false, 1);
    const thrice = videoPath(asl, false, 3);
    const clipped = videoPath(asl, true, 1);

    // Assess
    expect(once).toEqual(
      expect.arrayContaining(['ProbeVideo', 'TranscodeVideo', 'StartVideoAnalysis', 'CollectVideoAnalysis', 'StoreMetadata']),
    );
    expect(once).not.toContain('AnalyseImage');
    expect(once).not.toContain('CutAnalysisClip');
    expect(thrice.length - once.length).toBe(2 * 3);
    expect(thrice.filter((state) => state === 'CollectVideoAnalysis')).toHaveLength(3);
    expect(clipped).toEqual([
      ...once.slice(0, once.indexOf('CheckAnalysisClip') + 1),
      'CutAnalysisClip',
      ...once.slice(once.indexOf('CheckAnalysisClip') + 1),
    ]);
    expect(videoCost(60).transitions).toBe(videoPath(asl, false, pollsFor(60)).length);
  });

  it("polls until jobs as long as the analysed video are done, at the function's own wait", () => {
    // Assess: 60 s waits 10 s between polls, 600 s waits 30 s.
    expect(pollsFor(60)).toBe(6);
    expect(pollsFor(600)).toBe(20);
    expect(pollsFor(4)).toBe(1);
  });

  it('prints 1, 10 and 30 minutes with HLS off and on, and says which prices are not confirmed', () => {
    // Act
    const text = videoCostLines().join('\n');

    // Assess
    for (const minutes of ['1 min', '10 min', '30 min']) expect(text).toContain(minutes);
    expect(text).toContain('NOT CONFIRMED');
  });
});
