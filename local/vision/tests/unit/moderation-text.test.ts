import { toModerationResponse } from '../../mapping/moderation';
import { MAX_WORDS, toTextResponse, type OcrLine } from '../../mapping/text';
import type { TextParams } from '../../request';

describe('toModerationResponse', () => {
  it('maps Porn and Hentai onto Explicit and Explicit Nudity with their taxonomy', () => {
    const response = toModerationResponse({ Drawing: 0, Hentai: 0.2, Neutral: 0.05, Porn: 0.7, Sexy: 0.05 }, 50);

    expect(response).toEqual({
      ModerationLabels: [
        { Name: 'Explicit', ParentName: '', TaxonomyLevel: 1, Confidence: 90 },
        { Name: 'Explicit Nudity', ParentName: 'Explicit', TaxonomyLevel: 2, Confidence: 90 },
      ],
      ModerationModelVersion: '7.0',
      ContentTypes: [],
    });
  });

  it('maps drawings onto the Illustrated content type', () => {
    const response = toModerationResponse({ Drawing: 0.3, Hentai: 0.3, Neutral: 0, Porn: 0, Sexy: 0.4 }, 35);

    expect(response.ContentTypes).toEqual([{ Name: 'Illustrated', Confidence: 60 }]);
  });

  it('gives Swimwear or Underwear only for a near-certain Sexy score, which clothed people in sport kit reach too', () => {
    const footballer = toModerationResponse({ Drawing: 0.02, Hentai: 0, Neutral: 0.08, Porn: 0.01, Sexy: 0.89 }, 50);
    const swimwear = toModerationResponse({ Drawing: 0, Hentai: 0, Neutral: 0.01, Porn: 0.01, Sexy: 0.98 }, 50);

    expect(footballer.ModerationLabels).toEqual([]);
    expect(swimwear.ModerationLabels).toEqual([{ Name: 'Swimwear or Underwear', ParentName: '', TaxonomyLevel: 1, Confidence: 81.25 }]);
  });

  it('flags nothing on a neutral image', () => {
    expect(toModerationResponse({ Drawing: 0.01, Hentai: 0, Neutral: 0.98, Porn: 0, Sexy: 0.01 }, 50).ModerationLabels).toEqual([]);
  });
});

describe('toTextResponse', () => {
  const params: TextParams = { minConfidence: 80, minBoxHeight: 0, minBoxWidth: 0, regions: [] };
  const word = (text: string, x0: number, confidence = 95) => ({ text, confidence, bbox: { x0, y0: 10, x1: x0 + 40, y1: 30 } });

  it('lists LINEs first, then WORDs pointing at their line, with ratio geometry', () => {
    const lines: OcrLine[] = [{ words: [word('OPEN', 0), word('NOW', 50)] }, { words: [word('Exit', 0)] }];

    const response = toTextResponse(lines, 200, 100, params);

    expect(response.TextDetections?.map((d) => [d.Type, d.Id, d.ParentId, d.DetectedText])).toEqual([
      ['LINE', 0, undefined, 'OPEN NOW'],
      ['LINE', 1, undefined, 'Exit'],
      ['WORD', 2, 0, 'OPEN'],
      ['WORD', 3, 0, 'NOW'],
      ['WORD', 4, 1, 'Exit'],
    ]);
    expect(response.TextDetections?.[0].Geometry).toEqual({
      BoundingBox: { Width: 0.45, Height: 0.2, Left: 0, Top: 0.1 },
      Polygon: [
        { X: 0, Y: 0.1 },
        { X: 0.45, Y: 0.1 },
        { X: 0.45, Y: 0.3 },
        { X: 0, Y: 0.3 },
      ],
    });
  });

  it('drops unsure words, marks without letters or digits, and empty lines', () => {
    const lines: OcrLine[] = [{ words: [word('maybe', 0, 60), word('=', 50)] }, { words: [word('Sure', 0)] }];

    const response = toTextResponse(lines, 200, 100, params);

    expect(response.TextDetections?.map((d) => d.DetectedText)).toEqual(['Sure', 'Sure']);
  });

  it('keeps only words mostly inside a region of interest', () => {
    const lines: OcrLine[] = [{ words: [word('left', 0), word('right', 150)] }];

    const response = toTextResponse(lines, 200, 100, { ...params, regions: [{ Left: 0.5, Top: 0, Width: 0.5, Height: 1 }] });

    expect(response.TextDetections?.filter((d) => d.Type === 'WORD').map((d) => d.DetectedText)).toEqual(['right']);
  });

  it('stops at 100 words', () => {
    const lines: OcrLine[] = Array.from({ length: 30 }, () => ({ words: [word('a', 0), word('b', 50), word('c', 100), word('d', 150)] }));

    const response = toTextResponse(lines, 200, 100, params);

    expect(response.TextDetections?.filter((d) => d.Type === 'WORD')).toHaveLength(MAX_WORDS);
  });
});
