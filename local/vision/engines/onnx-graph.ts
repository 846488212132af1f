import {
  ATTRIBUTE_FLOAT,
  ATTRIBUTE_INT,
  ATTRIBUTE_INTS,
  ATTRIBUTE_NAME,
  ATTRIBUTE_STRING,
  ATTRIBUTE_TYPE,
  ATTRIBUTE_TYPE_FLOAT,
  ATTRIBUTE_TYPE_INT,
  ATTRIBUTE_TYPE_INTS,
  ATTRIBUTE_TYPE_STRING,
  DIM_VALUE,
  GRAPH_INITIALIZER,
  GRAPH_INPUT,
  GRAPH_NAME,
  GRAPH_NODE,
  GRAPH_OUTPUT,
  MODEL_GRAPH,
  MODEL_IR_VERSION,
  MODEL_OPSET,
  MODEL_PRODUCER,
  NODE_ATTRIBUTE,
  NODE_INPUT,
  NODE_NAME,
  NODE_OP,
  NODE_OUTPUT,
  OPSET_DOMAIN,
  OPSET_VERSION,
  SHAPE_DIM,
  TENSOR_DIMS,
  TENSOR_NAME,
  TENSOR_RAW,
  TENSOR_TYPE,
  TENSOR_TYPE_ELEMENT,
  TENSOR_TYPE_SHAPE,
  TYPE_FLOAT,
  TYPE_TENSOR,
  VALUE_INFO_NAME,
  VALUE_INFO_TYPE,
} from './onnx-fields';

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

const IR_VERSION = 7;

/** Serialises the graph as an ONNX model that onnxruntime's InferenceSession.create accepts as bytes. */
export function encodeOnnxModel(spec: GraphSpec): Uint8Array {
  const graph = new Message();
  spec.nodes.forEach((node, index) => graph.message(GRAPH_NODE, encodeNode(node, `${node.op}_${index}`)));
  graph.string(GRAPH_NAME, spec.name);
  for (const tensor of spec.initializers) graph.message(GRAPH_INITIALIZER, encodeTensor(tensor));
  graph.message(GRAPH_INPUT, encodeValueInfo(spec.input.name, spec.input.shape));
  graph.message(GRAPH_OUTPUT, encodeValueInfo(spec.output.name, spec.output.shape));

  const opset = new Message();
  opset.string(OPSET_DOMAIN, '');
  opset.varint(OPSET_VERSION, spec.opset);
  const model = new Message();
  model.varint(MODEL_IR_VERSION, IR_VERSION);
  model.string(MODEL_PRODUCER, 'smart-image-pipeline');
  model.message(MODEL_GRAPH, graph);
  model.message(MODEL_OPSET, opset);
  return model.bytes();
}

function encodeNode(node: GraphNode, name: string): Message {
  const message = new Message();
  for (const input of node.inputs) message.string(NODE_INPUT, input);
  for (const output of node.outputs) message.string(NODE_OUTPUT, output);
  message.string(NODE_NAME, name);
  message.string(NODE_OP, node.op);
  for (const [key, value] of Object.entries(node.attributes ?? {})) {
    const attribute = new Message();
    attribute.string(ATTRIBUTE_NAME, key);
    if (Array.isArray(value)) {
      for (const item of value) attribute.varint(ATTRIBUTE_INTS, item);
      attribute.varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INTS);
    } else if (typeof value === 'string') {
      attribute.bytesField(ATTRIBUTE_STRING, Buffer.from(value, 'utf8'));
      attribute.varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_STRING);
    } else if (typeof value === 'object') {
      attribute.float32(ATTRIBUTE_FLOAT, value.float);
      attribute.varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT);
    } else {
      attribute.varint(ATTRIBUTE_INT, value);
      attribute.varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
    }
    message.message(NODE_ATTRIBUTE, attribute);
  }
  return message;
}

function encodeTensor(tensor: GraphTensor): Message {
  const expected = tensor.shape.reduce((product, side) => product * side, 1);
  if (expected !== tensor.data.length)
    throw new Error(`initializer ${tensor.name}: shape ${tensor.shape.join('x')} but ${tensor.data.length} values`);
  const message = new Message();
  for (const side of tensor.shape) message.varint(TENSOR_DIMS, side);
  message.varint(TENSOR_TYPE, TYPE_FLOAT);
  message.string(TENSOR_NAME, tensor.name);
  // ONNX raw_data is little-endian, as Float32Array is on every platform Node runs on here.
  message.bytesField(TENSOR_RAW, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
  return message;
}

function encodeValueInfo(name: string, shape: number[]): Message {
  const dims = new Message();
  for (const side of shape) {
    const dim = new Message();
    dim.varint(DIM_VALUE, side);
    dims.message(SHAPE_DIM, dim);
  }
  const tensorType = new Message();
  tensorType.varint(TENSOR_TYPE_ELEMENT, TYPE_FLOAT);
  tensorType.message(TENSOR_TYPE_SHAPE, dims);
  const type = new Message();
  type.message(TYPE_TENSOR, tensorType);
  const info = new Message();
  info.string(VALUE_INFO_NAME, name);
  info.message(VALUE_INFO_TYPE, type);
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
