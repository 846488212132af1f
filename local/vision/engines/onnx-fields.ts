// Field numbers of onnx.proto3 and the enum values this project writes (onnx-graph.ts) and reads (ocr-graph.ts),
// named once so the writer and the reader cannot disagree.

/** ModelProto */
export const MODEL_IR_VERSION = 1;
export const MODEL_PRODUCER = 2;
export const MODEL_GRAPH = 7;
export const MODEL_OPSET = 8;
/** OperatorSetIdProto */
export const OPSET_DOMAIN = 1;
export const OPSET_VERSION = 2;
/** GraphProto */
export const GRAPH_NODE = 1;
export const GRAPH_NAME = 2;
export const GRAPH_INITIALIZER = 5;
export const GRAPH_INPUT = 11;
export const GRAPH_OUTPUT = 12;
/** NodeProto */
export const NODE_INPUT = 1;
export const NODE_OUTPUT = 2;
export const NODE_NAME = 3;
export const NODE_OP = 4;
export const NODE_ATTRIBUTE = 5;
/** AttributeProto */
export const ATTRIBUTE_NAME = 1;
export const ATTRIBUTE_FLOAT = 2;
export const ATTRIBUTE_INT = 3;
export const ATTRIBUTE_STRING = 4;
export const ATTRIBUTE_TENSOR = 5;
export const ATTRIBUTE_INTS = 8;
export const ATTRIBUTE_TYPE = 20;
/** AttributeProto.AttributeType */
export const ATTRIBUTE_TYPE_FLOAT = 1;
export const ATTRIBUTE_TYPE_INT = 2;
export const ATTRIBUTE_TYPE_STRING = 3;
export const ATTRIBUTE_TYPE_TENSOR = 4;
export const ATTRIBUTE_TYPE_INTS = 7;
/** TensorProto */
export const TENSOR_DIMS = 1;
export const TENSOR_TYPE = 2;
export const TENSOR_FLOATS = 4;
export const TENSOR_NAME = 8;
export const TENSOR_RAW = 9;
/** TensorProto.DataType */
export const TYPE_FLOAT = 1;
/** ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto and its Dimension */
export const VALUE_INFO_NAME = 1;
export const VALUE_INFO_TYPE = 2;
export const TYPE_TENSOR = 1;
export const TENSOR_TYPE_ELEMENT = 1;
export const TENSOR_TYPE_SHAPE = 2;
export const SHAPE_DIM = 1;
export const DIM_VALUE = 1;
