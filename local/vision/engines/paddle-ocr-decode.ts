/**
 * The model-free halves of PP-OCR: turning the DB detector's probability map into text boxes, and the CTC
 * recogniser's per-step class scores into characters and words with their horizontal positions.
 */

/** An axis-aligned box in pixels of the probability map (x1, y1 exclusive). */
export interface MapBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  score: number;
}

/** How the DB map is read: PaddleOCR's own defaults (det_db_thresh, det_db_box_thresh, det_db_unclip_ratio). */
export interface DbOptions {
  threshold: number;
  boxThreshold: number;
  unclipRatio: number;
  minSide: number;
}

export const DB_DEFAULTS: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSide: 3 };

/**
 * Finds text regions: 4-connected components of pixels above `threshold`, kept when their mean probability reaches
 * `boxThreshold`, each grown outwards as DB's "unclip" does (by area × ratio / perimeter), clamped to the map.
 */
export function boxesFromProbabilityMap(map: Float32Array, width: number, height: number, options: DbOptions = DB_DEFAULTS): MapBox[] {
  const label = new Int32Array(width * height);
  const boxes: MapBox[] = [];
  const stack: number[] = [];
  let next = 0;
  const visit = (neighbour: number) => {
    if (label[neighbour] === 0 && map[neighbour] > options.threshold) {
      label[neighbour] = next;
      stack.push(neighbour);
    }
  };
  for (let start = 0; start < map.length; start += 1) {
    if (label[start] !== 0 || map[start] <= options.threshold) continue;
    next += 1;
    label[start] = next;
    stack.push(start);
    let [x0, y0, x1, y1, sum, count] = [width, height, 0, 0, 0, 0];
    while (stack.length > 0) {
      const index = stack.pop() as number;
      const x = index % width;
      const y = (index - x) / width;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
      sum += map[index];
      count += 1;
      // The four neighbours, without an array per pixel (a page has tens of thousands of text pixels).
      if (x > 0) visit(index - 1);
      if (x < width - 1) visit(index + 1);
      if (y > 0) visit(index - width);
      if (y < height - 1) visit(index + width);
    }
    const boxWidth = x1 - x0;
    const boxHeight = y1 - y0;
    if (Math.min(boxWidth, boxHeight) < options.minSide || sum / count < options.boxThreshold) continue;
    const grow = (boxWidth * boxHeight * options.unclipRatio) / (2 * (boxWidth + boxHeight));
    boxes.push({
      x0: Math.max(0, Math.floor(x0 - grow)),
      y0: Math.max(0, Math.floor(y0 - grow)),
      x1: Math.min(width, Math.ceil(x1 + grow)),
      y1: Math.min(height, Math.ceil(y1 + grow)),
      score: sum / count,
    });
  }
  return boxes;
}

/** Reading order: top to bottom, and left to right within a band of about half a line's height. */
export function readingOrder<T extends { x0: number; y0: number; y1: number }>(boxes: T[]): T[] {
  const sorted = [...boxes].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  for (let i = 1; i < sorted.length; i += 1) {
    for (let j = i; j > 0; j -= 1) {
      const [above, current] = [sorted[j - 1], sorted[j]];
      const band = Math.min(above.y1 - above.y0, current.y1 - current.y0) / 2;
      if (Math.abs(current.y0 - above.y0) < band && current.x0 < above.x0) [sorted[j - 1], sorted[j]] = [current, above];
      else break;
    }
  }
  return sorted;
}

/** One decoded character: the step where the recogniser emitted it and that step's probability. */
export interface DecodedChar {
  char: string;
  step: number;
  probability: number;
}

/** A decoded line: its characters, and at every step the probability of the space class (the last one). */
export interface DecodedLine {
  chars: DecodedChar[];
  spaceProbability: Float32Array;
}

/** A recognised word: its text, mean character probability (0–1), and its extent in recogniser steps. */
export interface DecodedWord {
  text: string;
  confidence: number;
  firstStep: number;
  lastStep: number;
}

/** Above this probability a class is its step's best whatever the rest hold (with room for float rounding). */
const SURE_BEST = 0.5 + 1e-4;

/**
 * Greedy CTC decoding of a [steps × classes] matrix of probabilities (the recogniser's softmax: each step sums to 1):
 * the best class per step, repeats merged, blanks (class 0) dropped. `charset[i - 1]` is class i's character; the last
 * class is the space.
 */
export function decodeCtc(scores: Float32Array, steps: number, classes: number, charset: readonly string[]): DecodedLine {
  const chars: DecodedChar[] = [];
  const spaceProbability = new Float32Array(steps);
  let previous = 0;
  for (let step = 0; step < steps; step += 1) {
    let best = 0;
    let bestScore = -Infinity;
    const offset = step * classes;
    for (let c = 0; c < classes; c += 1) {
      if (scores[offset + c] > bestScore) {
        bestScore = scores[offset + c];
        best = c;
        // A class above one half outscores every other (a step's probabilities sum to 1): most steps are blanks, so
        // most scans stop at the first class instead of reading all 6,625.
        if (bestScore > SURE_BEST) break;
      }
    }
    spaceProbability[step] = scores[offset + classes - 1];
    if (best !== 0 && best !== previous) chars.push({ char: charset[best - 1] ?? '', step, probability: bestScore });
    previous = best;
  }
  return { chars, spaceProbability };
}

/**
 * The space class's probability between two characters above which they belong to different words. The English
 * text of signs and pages comes out of this recogniser with most spaces left out, but the space class still rises
 * in the gap (0.02–0.95 between words, under 0.01 inside them on the evaluation photos).
 */
export const SPACE_PROBABILITY = 0.02;

/** Splits a decoded line into words: at a decoded space, and where the space class rises between two characters. */
export function splitWords(line: DecodedLine, threshold = SPACE_PROBABILITY): DecodedWord[] {
  const words: DecodedWord[] = [];
  let current: DecodedChar[] = [];
  const finish = () => {
    if (current.length > 0) {
      const confidence = current.reduce((sum, char) => sum + char.probability, 0) / current.length;
      words.push({
        text: current.map((char) => char.char).join(''),
        confidence,
        firstStep: current[0].step,
        lastStep: current[current.length - 1].step,
      });
    }
    current = [];
  };
  line.chars.forEach((char, index) => {
    if (char.char.trim() === '') return finish();
    const before = line.chars[index - 1];
    if (before && Math.max(0, ...line.spaceProbability.subarray(before.step + 1, char.step)) >= threshold) finish();
    current.push(char);
  });
  finish();
  return words;
}
