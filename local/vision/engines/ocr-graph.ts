/**
 * Rewrites PP-OCR's ONNX graphs (as Paddle2ONNX exports them) into fewer, equivalent operations before onnxruntime
 * loads them. PP-LCNetV3, the backbone of both the detector and the recogniser, follows every convolution with a
 * learnable scalar affine (Mul, Add) and a hard-swish spelled as four operations (Add 3, Clip 0–6, Mul, Div 6), then
 * another scalar affine: eight passes over the feature map per convolution, which onnxruntime does not fuse (its
 * Conv+Mul fusion wants per-channel constants, and it has no hard-swish fusion for opset 9–11 graphs). Measured on
 * one core: the recogniser 39 → 23 ms on a 48 × 576 line, the detector 85 → 57 ms on 768 × 512 (same outputs to
 * float rounding). The rewrites:
 * - Conv → Mul(scalar s) → Add(scalar t) becomes one Conv with weights × s and bias × s + t;
 * - Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(6) becomes Mul(x, HardSigmoid(x; 1/6, 0.5));
 * - Mul(scalar s) → Add(scalar t) feeding a 1 × 1 Conv without padding folds into that Conv's weights and bias;
 * - Mul(scalar s) → Add(scalar t) feeding padded (depthwise) Convs, where folding would shift the zero padding too,
 *   becomes one BatchNormalization (scale s, bias t, mean 0, variance 1, epsilon 0): the same affine, which
 *   onnxruntime keeps in its blocked NCHWc layout as a 1 × 1 depthwise convolution. As a scalar Mul and Add it left
 *   that layout: a reorder out, two passes, a reorder back in. Measured on one core: the recogniser 22 → 18 ms on a
 *   48 × 600 line, the detector 54 → 46 ms on 768 × 512 (outputs identical);
 * - Add(x, Mul(x, gate)), the detector neck's residual squeeze-and-excitation with one gate value per channel,
 *   becomes Mul(x, gate + 1): one pass over the feature map instead of two;
 * - ConvTranspose → Add(per-channel constant) → BatchNormalization, the detector head's upsampling, folds into the
 *   ConvTranspose's weights and bias (both: 46 → 43 ms, outputs within 3e-7).
 * Nodes the rewrites do not touch keep their original bytes; everything else in the model is copied as it is.
 */
import { Message } from './onnx-graph';
import {
  ATTRIBUTE_FLOAT,
  ATTRIBUTE_INT,
  ATTRIBUTE_INTS,
  ATTRIBUTE_NAME,
  ATTRIBUTE_STRING,
  ATTRIBUTE_TENSOR,
  ATTRIBUTE_TYPE,
  ATTRIBUTE_TYPE_FLOAT,
  ATTRIBUTE_TYPE_TENSOR,
  GRAPH_NODE,
  MODEL_GRAPH,
  NODE_ATTRIBUTE,
  NODE_INPUT,
  NODE_OP,
  NODE_OUTPUT,
  TENSOR_DIMS,
  TENSOR_FLOATS,
  TENSOR_NAME,
  TENSOR_RAW,
  TENSOR_TYPE,
  TYPE_FLOAT,
} from './onnx-fields';

/**
 * The rewriter's version, part of every cached graph's name (ocr-model-cache.ts): raise it whenever a change here
 * changes the bytes simplifyOcrGraph writes (a unit test records the output's digest per version).
 */
export const OCR_GRAPH_REWRITER_VERSION = 3;

/** How many of each rewrite applied (a graph that changed shape upstream would show zeros). */
export interface OcrGraphRewrites {
  convAffines: number;
  hardSwishes: number;
  affinesIntoConv: number;
  affinesAsBatchNorms: number;
  gatedResiduals: number;
  transposedConvAffines: number;
}

/** One protobuf field as read: number, wire type, its whole encoding (tag included) and its value. */
interface Field {
  number: number;
  wire: number;
  encoded: Uint8Array;
  /** varint or fixed value for wire types 0, 1, 5; the payload for wire type 2 */
  value: number | Uint8Array;
}

interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  /** the node's fields other than inputs and outputs, kept encoded */
  rest: Field[];
  /** for Constant nodes holding float data, read on first use (most are never read) */
  constant?: () => FloatTensor | undefined;
  /** for new nodes: op type and attributes are written from these (`rest` is empty) */
  attributes?: Message[];
}

/**
 * Returns the model with the rewrites applied, and how many of each applied.
 * @throws Error when the bytes are not a protobuf ModelProto
 */
export function simplifyOcrGraph(model: Uint8Array): { model: Uint8Array; rewrites: OcrGraphRewrites } {
  const modelFields = readFields(model);
  const graphField = modelFields.find((field) => field.number === MODEL_GRAPH);
  if (!graphField || !(graphField.value instanceof Uint8Array)) throw new Error('not an ONNX model: no graph');
  const graphFields = readFields(graphField.value);
  let nodes = graphFields.filter((field) => field.number === GRAPH_NODE).map((field) => readNode(field.value as Uint8Array));

  const rewrites: OcrGraphRewrites = {
    convAffines: 0,
    hardSwishes: 0,
    affinesIntoConv: 0,
    affinesAsBatchNorms: 0,
    gatedResiduals: 0,
    transposedConvAffines: 0,
  };
  nodes = foldConvAffines(nodes, rewrites);
  nodes = fuseHardSwishes(nodes, rewrites);
  nodes = foldAffinesIntoPointwiseConvs(nodes, rewrites);
  nodes = affinesAsBatchNorms(nodes, rewrites);
  nodes = foldGatedResiduals(nodes, rewrites);
  nodes = foldTransposedConvAffines(nodes, rewrites);
  nodes = withoutUnreadConstants(nodes);

  const graph = new Message();
  let nodesWritten = false;
  for (const field of graphFields) {
    if (field.number !== GRAPH_NODE) graph.raw(field.encoded);
    else if (!nodesWritten) {
      for (const node of nodes) graph.message(GRAPH_NODE, writeNode(node));
      nodesWritten = true;
    }
  }
  const out = new Message();
  for (const field of modelFields) {
    if (field === graphField) out.message(MODEL_GRAPH, graph);
    else out.raw(field.encoded);
  }
  return { model: out.bytes(), rewrites };
}

/** The graph's wiring: who makes each value, who reads it, and the scalar and tensor constants. */
class Wiring {
  readonly producer = new Map<string, Node>();
  readonly readers = new Map<string, Node[]>();

  constructor(nodes: Node[]) {
    for (const node of nodes) {
      for (const output of node.outputs) this.producer.set(output, node);
      for (const input of node.inputs) this.readers.set(input, [...(this.readers.get(input) ?? []), node]);
    }
  }

  constant(name: string): FloatTensor | undefined {
    return this.producer.get(name)?.constant?.();
  }

  scalar(name: string): number | undefined {
    const tensor = this.constant(name);
    return tensor && tensor.data.length === 1 ? tensor.data[0] : undefined;
  }

  /** The single reader of `name` if it is an `op` node, else undefined. */
  onlyReader(name: string, op: string): Node | undefined {
    const readers = this.readers.get(name) ?? [];
    return readers.length === 1 && readers[0].op === op ? readers[0] : undefined;
  }

  /** For a binary node with one scalar constant input: that scalar and the other input. */
  scalarOperand(node: Node): { value: number; other: string } | undefined {
    if (node.inputs.length !== 2) return undefined;
    for (const [index, name] of node.inputs.entries()) {
      const value = this.scalar(name);
      if (value !== undefined && this.scalar(node.inputs[1 - index]) === undefined) return { value, other: node.inputs[1 - index] };
    }
    return undefined;
  }
  /** For Mul(x, s) read only by Add(·, t), s and t scalar constants: x, s, t and the Add. */
  scalarAffine(mul: Node | undefined): { input: string; scale: number; shift: number; add: Node } | undefined {
    const scale = mul?.op === 'Mul' ? this.scalarOperand(mul) : undefined;
    const add = scale && this.onlyReader((mul as Node).outputs[0], 'Add');
    const shift = add && this.scalarOperand(add);
    return scale && add && shift ? { input: scale.other, scale: scale.value, shift: shift.value, add } : undefined;
  }
}

/** Conv → Mul(s) → Add(t): one Conv with weights × s and bias × s + t. */
function foldConvAffines(nodes: Node[], rewrites: OcrGraphRewrites): Node[] {
  const wiring = new Wiring(nodes);
  const removed = new Set<Node>();
  const before = new Map<Node, Node[]>();
  for (const conv of nodes) {
    if (conv.op !== 'Conv' || conv.outputs.length !== 1) continue;
    const weights = wiring.constant(conv.inputs[1]);
    const bias = conv.inputs[2] ? wiring.constant(conv.inputs[2]) : undefined;
    if (!weights || (conv.inputs[2] && !bias)) continue;
    const mul = wiring.onlyReader(conv.outputs[0], 'Mul');
    const affine = wiring.scalarAffine(mul);
    if (!mul || !affine) continue;
    const { scale, shift, add } = affine;
    const channels = weights.dims[0];
    const newWeights = weights.data.map((value) => value * scale);
    const newBias = Float32Array.from({ length: channels }, (_, index) => (bias ? bias.data[index] : 0) * scale + shift);
    const output = add.outputs[0];
    before.set(conv, [
      constantNode(`${output}/folded_weights`, { dims: weights.dims, data: newWeights }),
      constantNode(`${output}/folded_bias`, { dims: [channels], data: newBias }),
    ]);
    Object.assign(conv, { inputs: [conv.inputs[0], `${output}/folded_weights`, `${output}/folded_bias`], outputs: [output] });
    removed.add(mul).add(add);
    rewrites.convAffines += 1;
  }
  return nodes.flatMap((node) => (removed.has(node) ? [] : [...(before.get(node) ?? []), node]));
}

/** Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(6): Mul(x, HardSigmoid(x; 1/6, 0.5)), the same function in two passes. */
function fuseHardSwishes(nodes: Node[], rewrites: OcrGraphRewrites): Node[] {
  const wiring = new Wiring(nodes);
  const replaced = new Map<Node, Node | undefined>();
  for (const add of nodes) {
    if (add.op !== 'Add' || replaced.has(add)) continue;
    const three = wiring.scalarOperand(add);
    if (!three || three.value !== 3) continue;
    const x = three.other;
    const clip = wiring.onlyReader(add.outputs[0], 'Clip');
    if (!clip || !clipsTo(clip, wiring, 0, 6)) continue;
    const mul = wiring.onlyReader(clip.outputs[0], 'Mul');
    if (!mul || !mul.inputs.includes(x)) continue;
    const div = wiring.onlyReader(mul.outputs[0], 'Div');
    if (!div || div.inputs[0] !== mul.outputs[0] || wiring.scalar(div.inputs[1]) !== 6) continue;
    const gate = `${div.outputs[0]}/hard_sigmoid`;
    const hardSigmoid = newNode('HardSigmoid', [x], [gate], [floatAttribute('alpha', 1 / 6), floatAttribute('beta', 0.5)]);
    replaced.set(add, hardSigmoid).set(clip, undefined).set(mul, undefined);
    replaced.set(div, newNode('Mul', [x, gate], [div.outputs[0]], []));
    rewrites.hardSwishes += 1;
  }
  return nodes.flatMap((node) => {
    if (!replaced.has(node)) return [node];
    const replacement = replaced.get(node);
    return replacement ? [replacement] : [];
  });
}

/** Mul(x, s) → Add(t) read only by a 1 × 1 Conv without padding: the Conv reads x, weights × s, bias + t × Σ weights. */
function foldAffinesIntoPointwiseConvs(nodes: Node[], rewrites: OcrGraphRewrites): Node[] {
  const wiring = new Wiring(nodes);
  const removed = new Set<Node>();
  const before = new Map<Node, Node[]>();
  for (const mul of nodes) {
    const affine = removed.has(mul) ? undefined : wiring.scalarAffine(mul);
    const conv = affine && wiring.onlyReader(affine.add.outputs[0], 'Conv');
    if (!affine || !conv || conv.inputs[0] !== affine.add.outputs[0] || before.has(conv)) continue;
    const { input, scale, shift, add } = affine;
    const weights = wiring.constant(conv.inputs[1]);
    const bias = conv.inputs[2] ? wiring.constant(conv.inputs[2]) : undefined;
    if (!weights || (conv.inputs[2] && !bias) || !isPointwise(conv, weights)) continue;
    const [channels] = weights.dims;
    const perOutput = weights.data.length / channels;
    const newBias = Float32Array.from({ length: channels }, (_, out) => {
      let sum = 0;
      for (let index = out * perOutput; index < (out + 1) * perOutput; index += 1) sum += weights.data[index];
      return (bias ? bias.data[out] : 0) + shift * sum;
    });
    const name = conv.outputs[0];
    before.set(conv, [
      constantNode(`${name}/input_scaled_weights`, { dims: weights.dims, data: weights.data.map((value) => value * scale) }),
      constantNode(`${name}/input_shifted_bias`, { dims: [channels], data: newBias }),
    ]);
    Object.assign(conv, { inputs: [input, `${name}/input_scaled_weights`, `${name}/input_shifted_bias`] });
    removed.add(mul).add(add);
    rewrites.affinesIntoConv += 1;
  }
  return nodes.flatMap((node) => (removed.has(node) ? [] : [...(before.get(node) ?? []), node]));
}

/**
 * Mul(x, s) → Add(t) read only by Convs that the affine cannot fold into (foldAffinesIntoPointwiseConvs took the
 * others): BatchNormalization(x; scale s, bias t, mean 0, variance 1, epsilon 0), per channel of the Convs' input.
 */
function affinesAsBatchNorms(nodes: Node[], rewrites: OcrGraphRewrites): Node[] {
  const wiring = new Wiring(nodes);
  const replaced = new Map<Node, Node[]>();
  for (const mul of nodes) {
    const affine = replaced.has(mul) ? undefined : wiring.scalarAffine(mul);
    if (!affine) continue;
    const name = affine.add.outputs[0];
    const convs = wiring.readers.get(name) ?? [];
    const channels = convs.map((conv) => (conv.op === 'Conv' && conv.inputs[0] === name ? inputChannels(conv, wiring) : undefined));
    if (channels.length === 0 || channels.some((count) => count === undefined || count !== channels[0])) continue;
    const perChannel = (suffix: string, value: number) =>
      constantNode(`${name}/bn_${suffix}`, { dims: [channels[0] as number], data: new Float32Array(channels[0] as number).fill(value) });
    const constants = [
      perChannel('scale', affine.scale),
      perChannel('bias', affine.shift),
      perChannel('mean', 0),
      perChannel('variance', 1),
    ];
    const inputs = [affine.input, ...constants.map((constant) => constant.outputs[0])];
    // onnxruntime's layout pass converts a BatchNormalization only when epsilon is written out.
    replaced.set(mul, [...constants, newNode('BatchNormalization', inputs, [name], [floatAttribute('epsilon', 0)])]).set(affine.add, []);
    rewrites.affinesAsBatchNorms += 1;
  }
  return nodes.flatMap((node) => replaced.get(node) ?? [node]);
}

/** A Conv's input channels (weights' second side × groups), when its weights are a constant. */
function inputChannels(conv: Node, wiring: Wiring): number | undefined {
  const weights = wiring.constant(conv.inputs[1]);
  return weights && weights.dims.length === 4 ? weights.dims[1] * (numberAttribute(conv, 'group') ?? 1) : undefined;
}

/** Add(x, Mul(x, gate)) with a (Hard)Sigmoid gate: Mul(x, gate + 1), the Add moved onto the per-channel gate. */
function foldGatedResiduals(nodes: Node[], rewrites: OcrGraphRewrites): Node[] {
  const wiring = new Wiring(nodes);
  const replaced = new Map<Node, Node[]>();
  for (const add of nodes) {
    if (add.op !== 'Add' || add.inputs.length !== 2) continue;
    for (const [index, x] of add.inputs.entries()) {
      const mul = wiring.producer.get(add.inputs[1 - index]);
      if (!mul || mul.op !== 'Mul' || mul.inputs.length !== 2 || wiring.onlyReader(mul.outputs[0], 'Add') !== add) continue;
      const gate = mul.inputs[0] === x ? mul.inputs[1] : mul.inputs[1] === x ? mul.inputs[0] : undefined;
      const gateOp = gate === undefined || gate === x ? undefined : wiring.producer.get(gate)?.op;
      if (gateOp !== 'HardSigmoid' && gateOp !== 'Sigmoid') continue;
      const name = add.outputs[0];
      const one = constantNode(`${name}/one`, { dims: [1], data: Float32Array.of(1) });
      const gatePlusOne = newNode('Add', [gate as string, one.outputs[0]], [`${name}/gate_plus_one`], []);
      replaced.set(mul, []).set(add, [one, gatePlusOne, newNode('Mul', [x, gatePlusOne.outputs[0]], [name], [])]);
      rewrites.gatedResiduals += 1;
      break;
    }
  }
  return nodes.flatMap((node) => replaced.get(node) ?? [node]);
}

/** ConvTranspose (one group) → Add(constant) [→ BatchNormalization]: one ConvTranspose with new weights and bias. */
function foldTransposedConvAffines(nodes: Node[], rewrites: OcrGraphRewrites): Node[] {
  const wiring = new Wiring(nodes);
  const removed = new Set<Node>();
  const before = new Map<Node, Node[]>();
  for (const deconv of nodes) {
    if (deconv.op !== 'ConvTranspose' || deconv.outputs.length !== 1 || (numberAttribute(deconv, 'group') ?? 1) !== 1) continue;
    const weights = wiring.constant(deconv.inputs[1]);
    const bias = deconv.inputs[2] ? wiring.constant(deconv.inputs[2]) : undefined;
    if (!weights || weights.dims.length !== 4 || (deconv.inputs[2] && !bias)) continue;
    const [, channels, kernelHeight, kernelWidth] = weights.dims;
    const add = wiring.onlyReader(deconv.outputs[0], 'Add');
    const addend = add && add.inputs.length === 2 ? wiring.constant(add.inputs[add.inputs[0] === deconv.outputs[0] ? 1 : 0]) : undefined;
    if (!add || !addend || !isPerChannel(addend, channels)) continue;
    const scale = new Float32Array(channels).fill(1);
    const shift = Float32Array.from(
      { length: channels },
      (_, out) => (bias ? bias.data[out] : 0) + addend.data[addend.data.length === 1 ? 0 : out],
    );
    let last = add;
    const norm = wiring.onlyReader(add.outputs[0], 'BatchNormalization');
    const [gamma, beta, mean, variance] = (norm?.inputs.slice(1) ?? []).map((name) => wiring.constant(name));
    if (norm && norm.outputs.length === 1 && [gamma, beta, mean, variance].every((tensor) => tensor?.data.length === channels)) {
      const epsilon = numberAttribute(norm, 'epsilon') ?? 1e-5;
      for (let out = 0; out < channels; out += 1) {
        scale[out] = (gamma as FloatTensor).data[out] / Math.sqrt((variance as FloatTensor).data[out] + epsilon);
        shift[out] = (shift[out] - (mean as FloatTensor).data[out]) * scale[out] + (beta as FloatTensor).data[out];
      }
      removed.add(norm);
      last = norm;
    }
    const perOutput = kernelHeight * kernelWidth;
    const name = last.outputs[0];
    before.set(deconv, [
      constantNode(`${name}/folded_weights`, {
        dims: weights.dims,
        data: weights.data.map((value, index) => value * scale[Math.floor(index / perOutput) % channels]),
      }),
      constantNode(`${name}/folded_bias`, { dims: [channels], data: shift }),
    ]);
    Object.assign(deconv, { inputs: [deconv.inputs[0], `${name}/folded_weights`, `${name}/folded_bias`], outputs: [name] });
    removed.add(add);
    rewrites.transposedConvAffines += 1;
  }
  return nodes.flatMap((node) => (removed.has(node) ? [] : [...(before.get(node) ?? []), node]));
}

/** A constant that adds one value per channel of an NCHW tensor (scalar, [C], [C,1,1] or [1,C,1,1]). */
function isPerChannel(tensor: FloatTensor, channels: number): boolean {
  if (tensor.data.length === 1) return true;
  const sides = tensor.dims.filter((side) => side !== 1);
  return (
    tensor.data.length === channels &&
    sides.length === 1 &&
    tensor.dims.length >= 3 &&
    tensor.dims.length <= 4 &&
    tensor.dims.at(-3) === channels
  );
}

/** A node's int or float attribute, or undefined. */
function numberAttribute(node: Node, name: string): number | undefined {
  for (const attribute of node.rest.filter((field) => field.number === NODE_ATTRIBUTE)) {
    const fields = readFields(attribute.value as Uint8Array);
    if (textOf(fields, ATTRIBUTE_NAME) !== name) continue;
    const value = fields.find((field) => field.number === ATTRIBUTE_INT || field.number === ATTRIBUTE_FLOAT)?.value;
    if (typeof value === 'number') return value;
  }
  return undefined;
}

/** Drops the Constant nodes the rewrites left unread (the weights before folding), which onnxruntime would warn of. */
function withoutUnreadConstants(nodes: Node[]): Node[] {
  const read = new Set(nodes.flatMap((node) => node.inputs));
  return nodes.filter((node) => node.op !== 'Constant' || node.outputs.some((output) => read.has(output)));
}

/** A 1 × 1 kernel with no padding: every output pixel reads exactly one input pixel, so an input affine folds in. */
function isPointwise(conv: Node, weights: FloatTensor): boolean {
  if (weights.dims.length !== 4 || weights.dims[2] !== 1 || weights.dims[3] !== 1) return false;
  for (const attribute of conv.rest.filter((field) => field.number === NODE_ATTRIBUTE)) {
    const fields = readFields(attribute.value as Uint8Array);
    const name = textOf(fields, ATTRIBUTE_NAME);
    const ints = fields
      .filter((field) => field.number === ATTRIBUTE_INTS)
      .flatMap((field) => (typeof field.value === 'number' ? [field.value] : packedVarints(field.value)));
    if ((name === 'auto_pad' && textOf(fields, ATTRIBUTE_STRING) !== 'NOTSET') || (name === 'pads' && ints.some((value) => value !== 0)))
      return false;
  }
  return true;
}

/** Whether a Clip bounds to [min, max], given as attributes (opset < 11) or as constant inputs. */
function clipsTo(clip: Node, wiring: Wiring, min: number, max: number): boolean {
  if (clip.inputs.length === 3) return wiring.scalar(clip.inputs[1]) === min && wiring.scalar(clip.inputs[2]) === max;
  const bounds = new Map<string, number>();
  for (const attribute of clip.rest.filter((field) => field.number === NODE_ATTRIBUTE)) {
    const fields = readFields(attribute.value as Uint8Array);
    const value = fields.find((field) => field.number === ATTRIBUTE_FLOAT)?.value;
    if (typeof value === 'number') bounds.set(textOf(fields, ATTRIBUTE_NAME), value);
  }
  return bounds.get('min') === min && bounds.get('max') === max;
}

function readNode(bytes: Uint8Array): Node {
  const fields = readFields(bytes);
  const node: Node = {
    op: textOf(fields, NODE_OP),
    inputs: fields.filter((field) => field.number === NODE_INPUT).map((field) => decodeText(field.value)),
    outputs: fields.filter((field) => field.number === NODE_OUTPUT).map((field) => decodeText(field.value)),
    rest: fields.filter((field) => field.number !== NODE_INPUT && field.number !== NODE_OUTPUT),
  };
  if (node.op === 'Constant') {
    let value: FloatTensor | undefined | null = null;
    node.constant = () => (value === null ? (value = constantValue(node.rest)) : value);
  }
  return node;
}

/** A Constant node's float tensor ('value' attribute), or undefined for any other kind of constant. */
function constantValue(rest: Field[]): FloatTensor | undefined {
  for (const attribute of rest.filter((field) => field.number === NODE_ATTRIBUTE)) {
    const fields = readFields(attribute.value as Uint8Array);
    const tensorField = fields.find((field) => field.number === ATTRIBUTE_TENSOR);
    if (textOf(fields, ATTRIBUTE_NAME) !== 'value' || !tensorField) continue;
    const tensor = readFields(tensorField.value as Uint8Array);
    if (tensor.find((field) => field.number === TENSOR_TYPE)?.value !== TYPE_FLOAT) return undefined;
    const dims = tensor
      .filter((field) => field.number === TENSOR_DIMS)
      .flatMap((field) => (typeof field.value === 'number' ? [field.value] : packedVarints(field.value)));
    const raw = tensor.find((field) => field.number === TENSOR_RAW)?.value;
    if (raw instanceof Uint8Array) return { dims, data: new Float32Array(new Uint8Array(raw).buffer) };
    const floats = tensor.filter((field) => field.number === TENSOR_FLOATS);
    const values = floats.flatMap((field) =>
      field.value instanceof Uint8Array ? [...new Float32Array(new Uint8Array(field.value).buffer)] : [field.value],
    );
    return { dims, data: Float32Array.from(values) };
  }
  return undefined;
}

function writeNode(node: Node): Message {
  const message = new Message();
  for (const input of node.inputs) message.string(NODE_INPUT, input);
  for (const output of node.outputs) message.string(NODE_OUTPUT, output);
  if (node.attributes) {
    message.string(NODE_OP, node.op);
    for (const attribute of node.attributes) message.message(NODE_ATTRIBUTE, attribute);
  } else for (const field of node.rest) message.raw(field.encoded);
  return message;
}

function newNode(op: string, inputs: string[], outputs: string[], attributes: Message[]): Node {
  return { op, inputs, outputs, rest: [], attributes };
}

function constantNode(name: string, tensor: FloatTensor): Node {
  const encoded = new Message();
  for (const side of tensor.dims) encoded.varint(TENSOR_DIMS, side);
  encoded.varint(TENSOR_TYPE, TYPE_FLOAT);
  encoded.string(TENSOR_NAME, name);
  encoded.bytesField(TENSOR_RAW, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
  const attribute = new Message();
  attribute.string(ATTRIBUTE_NAME, 'value');
  attribute.message(ATTRIBUTE_TENSOR, encoded);
  attribute.varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_TENSOR);
  return { ...newNode('Constant', [], [name], [attribute]), constant: () => tensor };
}

function floatAttribute(name: string, value: number): Message {
  const attribute = new Message();
  attribute.string(ATTRIBUTE_NAME, name);
  attribute.float32(ATTRIBUTE_FLOAT, value);
  attribute.varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT);
  return attribute;
}

function textOf(fields: Field[], number: number): string {
  const field = fields.find((candidate) => candidate.number === number);
  return field ? decodeText(field.value) : '';
}

function decodeText(value: number | Uint8Array): string {
  return typeof value === 'number' ? '' : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
}

/** Reads a message's top-level fields (nested messages stay as bytes). */
function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const tag = readVarint(bytes, at);
    at = tag.next;
    const number = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    let value: number | Uint8Array;
    if (wire === 0) {
      const read = readVarint(bytes, at);
      [value, at] = [read.value, read.next];
    } else if (wire === 1) {
      value = view.getFloat64(at, true);
      at += 8;
    } else if (wire === 5) {
      value = view.getFloat32(at, true);
      at += 4;
    } else if (wire === 2) {
      const length = readVarint(bytes, at);
      value = bytes.subarray(length.next, length.next + length.value);
      at = length.next + length.value;
    } else throw new Error(`unsupported protobuf wire type ${wire} at byte ${start}`);
    if (at > bytes.length) throw new Error('truncated protobuf message');
    fields.push({ number, wire, encoded: bytes.subarray(start, at), value });
  }
  return fields;
}

/** A varint as a JavaScript number: exact up to 2^53, which covers every field this file reads (negative int64s
 * such as an axis of −1 read as a large number, but only tags, lengths, dims, types and pads are interpreted). */
function readVarint(bytes: Uint8Array, from: number): { value: number; next: number } {
  let value = 0;
  let factor = 1;
  let at = from;
  for (;;) {
    if (at >= bytes.length) throw new Error('truncated protobuf varint');
    const byte = bytes[at];
    at += 1;
    value += (byte & 0x7f) * factor;
    factor *= 128;
    if (byte < 0x80) return { value, next: at };
  }
}

function packedVarints(bytes: Uint8Array): number[] {
  const values: number[] = [];
  for (let at = 0; at < bytes.length;) {
    const read = readVarint(bytes, at);
    values.push(read.value);
    at = read.next;
  }
  return values;
}
