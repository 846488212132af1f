import { boxesFromProbabilityMap, decodeCtc, readingOrder, splitWords } from '../../engines/paddle-ocr-decode';

/** A probability map with the given rectangles filled at `value`. */
function mapWith(width: number, height: number, rects: [number, number, number, number, number][]): Float32Array {
  const map = new Float32Array(width * height);
  for (const [x0, y0, x1, y1, value] of rects) for (let y = y0; y < y1; y += 1) for (let x = x0; x < x1; x += 1) map[y * width + x] = value;
  return map;
}

/** A [steps × classes] score matrix whose best class per step is `best[step]` (0 = blank), space score per step. */
function scores(best: number[], classes: number, space: number[] = []): Float32Array {
  const matrix = new Float32Array(best.length * classes);
  best.forEach((c, step) => {
    matrix[step * classes + c] = 0.9;
    matrix[step * classes + classes - 1] = Math.max(matrix[step * classes + classes - 1], space[step] ?? 0);
  });
  return matrix;
}

const CHARSET = ['a', 'b', 'c', ' '];

describe('boxesFromProbabilityMap', () => {
  it('finds one box per confident region and grows it as DB unclips', () => {
    const map = mapWith(100, 40, [
      [10, 10, 40, 20, 0.9],
      [60, 10, 90, 20, 0.8],
    ]);
    const boxes = boxesFromProbabilityMap(map, 100, 40);
    expect(boxes).toHaveLength(2);
    // 30×10 region: grows by 30·10·1.5 / (2·40) = 5.6 px each side.
    expect(boxes[0]).toMatchObject({ x0: 4, y0: 4, x1: 46, y1: 26 });
    expect(boxes[1].score).toBeCloseTo(0.8);
  });

  it('drops regions whose mean probability is under the box threshold, and slivers', () => {
    const map = mapWith(60, 20, [
      [5, 5, 30, 15, 0.45],
      [40, 5, 42, 15, 0.9],
    ]);
    expect(boxesFromProbabilityMap(map, 60, 20)).toEqual([]);
  });

  it('clamps grown boxes to the map', () => {
    const map = mapWith(30, 12, [[0, 0, 30, 12, 0.95]]);
    expect(boxesFromProbabilityMap(map, 30, 12)[0]).toMatchObject({ x0: 0, y0: 0, x1: 30, y1: 12 });
  });
});

describe('readingOrder', () => {
  it('reads a line left to right even when its boxes start at slightly different heights', () => {
    const right = { x0: 50, y0: 10, y1: 30 };
    const left = { x0: 0, y0: 14, y1: 34 };
    const below = { x0: 0, y0: 60, y1: 80 };
    expect(readingOrder([below, right, left])).toEqual([left, right, below]);
  });
});

describe('decodeCtc and splitWords', () => {
  it('merges repeats, drops blanks and keeps a repeat separated by a blank', () => {
    const line = decodeCtc(scores([1, 1, 0, 2, 0, 2, 3], 5), 7, 5, CHARSET);
    expect(line.chars.map((char) => char.char).join('')).toBe('abbc');
    expect(line.chars.map((char) => char.step)).toEqual([0, 3, 5, 6]);
  });

  it('splits words at a decoded space and where the space class rises in a gap', () => {
    // a b _ c _ a, with the space class at 0.3 in the gap between b and c, and a decoded space (class 4) before the last a
    const line = decodeCtc(scores([1, 2, 0, 3, 4, 1], 5, [0, 0, 0.3, 0, 0, 0]), 6, 5, CHARSET);
    const words = splitWords(line);
    expect(words.map((word) => word.text)).toEqual(['ab', 'c', 'a']);
    expect(words[0]).toMatchObject({ firstStep: 0, lastStep: 1 });
    expect(words[0].confidence).toBeCloseTo(0.9);
  });

  it('takes a class above one half as its step’s best and scans every class of a step without one', () => {
    // Each step's probabilities sum to 1, as the recogniser's softmax gives them.
    const probabilities = Float32Array.from(
      [
        [0.05, 0.6, 0.05, 0.3, 0],
        [0.1, 0.2, 0.25, 0.45, 0],
        [0.9, 0.02, 0.03, 0.05, 0],
      ].flat(),
    );
    const line = decodeCtc(probabilities, 3, 5, CHARSET);
    expect(line.chars.map((char) => [char.char, char.step])).toEqual([
      ['a', 0],
      ['c', 1],
    ]);
    expect(line.chars[1].probability).toBeCloseTo(0.45);
  });

  it('keeps a word whole when the space class stays low between its letters', () => {
    const line = decodeCtc(scores([1, 0, 2, 0, 3], 5, [0, 0.005, 0, 0.01, 0]), 5, 5, CHARSET);
    expect(splitWords(line).map((word) => word.text)).toEqual(['abc']);
  });
});
