/**
 * Writes a small ONNX model (ModelProto, protobuf wire format) from nodes and float initializers, so a network whose
 * weights ship in another format can run on onnxruntime. Only the fields such a model needs are written.
 */

/** An attribute value: an integer, a float, or a list of integers. */
export type AttributeValue = number | { float: number } | number[] | string;

export interface GraphNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface GraphTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface GraphSpec {
  name: string;
  /** the one float input, e.g. [1, 3, 224, 224] */
  input: { name: string; shape: number[] };
  output: { name: string; shape: number[] };
  nodes: GraphNode[];
  initializers: GraphTensor[];
  opset: number;
}

const FLOAT = 1;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_STRING = 3;
const ATTRIBUTE_INTS = 7;
const IR_VERSION = 7;

/** Serialises the graph as an ONNX model that onnxruntime's InferenceSession.create accepts as bytes. */
export function encodeOnnxModel(spec: GraphSpec): Uint8Array {
  const graph = new Message();
  spec.nodes.forEach((node, index) => graph.message(1, encodeNode(node, `${node.op}_${index}`)));
  graph.string(2, spec.name);
  for (const tensor of spec.initializers) graph.message(5, encodeTensor(tensor));
  graph.message(11, encodeValueInfo(spec.input.name, spec.input.shape));
  graph.message(12, encodeValueInfo(spec.output.name, spec.output.shape));

  const opset = new Message();
  opset.string(1, '');
  opset.varint(2, spec.opset);
  const model = new Message();
  model.varint(1, IR_VERSION);
  model.string(2, 'smart-image-pipeline');
  model.message(7, graph);
  model.message(8, opset);
  return model.bytes();
}

function encodeNode(node: GraphNode, name: string): Message {
  const message = new Message();
  for (const input of node.inputs) message.string(1, input);
  for (const output of node.outputs) message.string(2, output);
  message.string(3, name);
  message.string(4, node.op);
  for (const [key, value] of Object.entries(node.attributes ?? {})) {
    const attribute = new Message();
    attribute.string(1, key);
    if (Array.isArray(value)) {
      for (const item of value) attribute.varint(8, item);
      attribute.varint(20, ATTRIBUTE_INTS);
    } else if (typeof value === 'string') {
      attribute.bytesField(4, Buffer.from(value, 'utf8'));
      attribute.varint(20, ATTRIBUTE_STRING);
    } else if (typeof value === 'object') {
      attribute.float32(2, value.float);
      attribute.varint(20, ATTRIBUTE_FLOAT);
    } else {
      attribute.varint(3, value);
      attribute.varint(20, ATTRIBUTE_INT);
    }
    message.message(5, attribute);
  }
  return message;
}

function encodeTensor(tensor: GraphTensor): Message {
  const expected = tensor.shape.reduce((product, side) => product * side, 1);
  if (expected !== tensor.data.length)
    throw new Error(`initializer ${tensor.name}: shape ${tensor.shape.join('x')} but ${tensor.data.length} values`);
  const message = new Message();
  for (const side of tensor.shape) message.varint(1, side);
  message.varint(2, FLOAT);
  message.string(8, tensor.name);
  // ONNX raw_data is little-endian, as Float32Array is on every platform Node runs on here.
  message.bytesField(9, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
  return message;
}

function encodeValueInfo(name: string, shape: number[]): Message {
  const dims = new Message();
  for (const side of shape) {
    const dim = new Message();
    dim.varint(1, side);
    dims.message(1, dim);
  }
  const tensorType = new Message();
  tensorType.varint(1, FLOAT);
  tensorType.message(2, dims);
  const type = new Message();
  type.message(1, tensorType);
  const info = new Message();
  info.string(1, name);
  info.message(2, type);
  return info;
}

/** A protobuf message being written: fields appended in order as byte chunks. */
export class Message {
  readonly chunks: Uint8Array[] = [];
  length = 0;

  varint(field: number, value: number): void {
    this.push(varint(field * 8));
    this.push(varint(value));
  }

  float32(field: number, value: number): void {
    this.push(varint(field * 8 + 5));
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
  }

  string(field: number, value: string): void {
    this.bytesField(field, Buffer.from(value, 'utf8'));
  }

  bytesField(field: number, value: Uint8Array): void {
    this.push(varint(field * 8 + 2));
    this.push(varint(value.length));
    this.push(value);
  }

  /** A nested message: its chunks are kept by reference, so only the outermost bytes() copies (weights are large). */
  message(field: number, value: Message): void {
    this.push(varint(field * 8 + 2));
    this.push(varint(value.length));
    for (const chunk of value.chunks) this.push(chunk);
  }

  /** An already encoded field (tag included), copied through unchanged. */
  raw(encoded: Uint8Array): void {
    this.push(encoded);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
}

/** Protobuf base-128 varint of a non-negative integer (negative int64 values are not needed here). */
function varint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`varint: ${value} is not a non-negative safe integer`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}
