import type { DetectTextResponse, TextDetection } from '@aws-sdk/client-rekognition';
import type { RatioBox, TextParams } from '../request';

/** A pixel box (x1, y1 exclusive). */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One OCR line with its words, in pixels of an image of the given size. */
export interface OcrLine {
  words: { text: string; confidence: number; bbox: PixelBox }[];
}

/** Rekognition stops at 100 words per image. */
export const MAX_WORDS = 100;

/**
 * Turns OCR lines into Rekognition TextDetections: LINE entries first, then WORD entries whose ParentId is
 * their line, with ratio BoundingBox and Polygon; the WordFilter and RegionsOfInterest apply to words.
 */
export function toTextResponse(lines: OcrLine[], width: number, height: number, params: TextParams): DetectTextResponse {
  const kept: { box: RatioBox; words: { text: string; confidence: number; box: RatioBox }[] }[] = [];
  let wordCount = 0;
  for (const line of lines) {
    const words = line.words
      .map((word) => ({ text: word.text.trim(), confidence: word.confidence, box: toRatio(word.bbox, width, height) }))
      // OCR reads stray marks in photos as "=" or "»"; a word needs at least one letter or digit.
      .filter((word) => /[\p{L}\p{N}]/u.test(word.text) && word.confidence >= params.minConfidence)
      .filter((word) => word.box.Height >= params.minBoxHeight && word.box.Width >= params.minBoxWidth)
      .filter((word) => params.regions.length === 0 || params.regions.some((region) => mostlyInside(word.box, region)))
      .slice(0, MAX_WORDS - wordCount);
    if (words.length === 0) continue;
    wordCount += words.length;
    kept.push({ box: union(words.map((word) => word.box)), words });
    if (wordCount >= MAX_WORDS) break;
  }
  const detections: TextDetection[] = kept.map((line, id) => ({
    DetectedText: line.words.map((word) => word.text).join(' '),
    Type: 'LINE',
    Id: id,
    Confidence: round(line.words.reduce((sum, word) => sum + word.confidence, 0) / line.words.length),
    Geometry: geometry(line.box),
  }));
  let nextId = kept.length;
  kept.forEach((line, lineId) => {
    for (const word of line.words) {
      detections.push({
        DetectedText: word.text,
        Type: 'WORD',
        Id: nextId,
        ParentId: lineId,
        Confidence: round(word.confidence),
        Geometry: geometry(word.box),
      });
      nextId += 1;
    }
  });
  return { TextDetections: detections, TextModelVersion: '3.0' };
}

function toRatio(box: PixelBox, width: number, height: number): RatioBox {
  return { Left: box.x0 / width, Top: box.y0 / height, Width: (box.x1 - box.x0) / width, Height: (box.y1 - box.y0) / height };
}

function union(boxes: RatioBox[]): RatioBox {
  const left = Math.min(...boxes.map((box) => box.Left));
  const top = Math.min(...boxes.map((box) => box.Top));
  const right = Math.max(...boxes.map((box) => box.Left + box.Width));
  const bottom = Math.max(...boxes.map((box) => box.Top + box.Height));
  return { Left: left, Top: top, Width: right - left, Height: bottom - top };
}

// Rekognition keeps a word in a region of interest when more than half of its box lies inside.
function mostlyInside(box: RatioBox, region: RatioBox): boolean {
  const overlapWidth = Math.max(0, Math.min(box.Left + box.Width, region.Left + region.Width) - Math.max(box.Left, region.Left));
  const overlapHeight = Math.max(0, Math.min(box.Top + box.Height, region.Top + region.Height) - Math.max(box.Top, region.Top));
  return overlapWidth * overlapHeight > 0.5 * box.Width * box.Height;
}

function geometry(box: RatioBox): TextDetection['Geometry'] {
  const [left, top, width, height] = [box.Left, box.Top, box.Width, box.Height].map(round4);
  return {
    BoundingBox: { Width: width, Height: height, Left: left, Top: top },
    Polygon: [
      { X: left, Y: top },
      { X: round4(left + width), Y: top },
      { X: round4(left + width), Y: round4(top + height) },
      { X: left, Y: round4(top + height) },
    ],
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}
