/**
 * A minimal protobuf writer for the subset of `onnx.proto` the synthetic models need, written by
 * hand so the generator depends on nothing but Node (no Python, no protobuf library).
 *
 * Field numbers follow onnx/onnx.proto (IR version 8):
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto
 */

/** ONNX tensor element types used here (`TensorProto.DataType`). */
export const OnnxDataType = {
  float: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
} as const;

/** An ONNX tensor element type. */
export type OnnxDataTypeName = keyof typeof OnnxDataType;

/** A tensor stored in the model (an initializer or a `Constant` value). */
export type OnnxTensor = {
  name: string;
  dataType: OnnxDataTypeName;
  dims: readonly number[];
  /** Little-endian raw bytes, as `TensorProto.raw_data`. */
  rawData: Uint8Array;
};

/** A node attribute; the kind picks the `AttributeProto` field. */
export type OnnxAttribute =
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'ints'; value: readonly number[] }
  | { name: string; kind: 'string'; value: string }
  | { name: string; kind: 'tensor'; value: OnnxTensor };

/** One operator node. */
export type OnnxNode = {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  domain?: string;
  attributes?: readonly OnnxAttribute[];
};

/** A graph input or output: a name, an element type and a shape of numbers or symbolic names. */
export type OnnxValueInfo = {
  name: string;
  dataType: OnnxDataTypeName;
  shape: readonly (number | string)[];
};

/** A whole model. */
export type OnnxModel = {
  graphName: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  /** Operator sets, e.g. `{ '': 17 }`. */
  opsets: Readonly<Record<string, number>>;
};

const textEncoder = new TextEncoder();

/** Accumulates protobuf bytes. Length-delimited fields are built in a nested writer. */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private varint(value: bigint): void {
    // Negative int64 values are encoded as their 64-bit two's complement (10 bytes).
    let remaining = BigInt.asUintN(64, value);
    const bytes: number[] = [];
    while (remaining >= 0x80n) {
      bytes.push(Number(remaining & 0x7fn) | 0x80);
      remaining >>= 7n;
    }
    bytes.push(Number(remaining));
    this.push(Uint8Array.from(bytes));
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(BigInt(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, build: (writer: ProtoWriter) => void): this {
    const nested = new ProtoWriter();
    build(nested);
    return this.bytes(field, nested.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function writeTensor(writer: ProtoWriter, tensor: OnnxTensor): void {
  for (const dim of tensor.dims) writer.int(1, dim);
  writer.int(2, OnnxDataType[tensor.dataType]);
  writer.string(8, tensor.name);
  writer.bytes(9, tensor.rawData);
}

function writeAttribute(writer: ProtoWriter, attribute: OnnxAttribute): void {
  writer.string(1, attribute.name);
  switch (attribute.kind) {
    case 'float':
      writer.float(2, attribute.value).int(20, 1);
      break;
    case 'int':
      writer.int(3, attribute.value).int(20, 2);
      break;
    case 'string':
      writer.string(4, attribute.value).int(20, 3);
      break;
    case 'tensor':
      writer.message(5, (nested) => writeTensor(nested, attribute.value)).int(20, 4);
      break;
    case 'ints':
      for (const value of attribute.value) writer.int(8, value);
      writer.int(20, 7);
      break;
  }
}

function writeValueInfo(writer: ProtoWriter, info: OnnxValueInfo): void {
  writer.string(1, info.name);
  writer.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, OnnxDataType[info.dataType]);
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (dimension) =>
            typeof dim === 'number' ? dimension.int(1, dim) : dimension.string(2, dim),
          );
        }
      });
    }),
  );
}

/** Serializes a model as an ONNX `ModelProto` (IR version 8). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const writer = new ProtoWriter();
  writer.int(1, 8);
  writer.string(2, 'twostage-synthetic');
  writer.string(3, '1');
  writer.message(7, (graph) => {
    for (const node of model.nodes) {
      graph.message(1, (nodeWriter) => {
        for (const input of node.inputs) nodeWriter.string(1, input);
        for (const output of node.outputs) nodeWriter.string(2, output);
        nodeWriter.string(3, node.name);
        nodeWriter.string(4, node.opType);
        for (const attribute of node.attributes ?? []) {
          nodeWriter.message(5, (attributeWriter) => writeAttribute(attributeWriter, attribute));
        }
        if (node.domain !== undefined) nodeWriter.string(7, node.domain);
      });
    }
    graph.string(2, model.graphName);
    for (const tensor of model.initializers) {
      graph.message(5, (tensorWriter) => writeTensor(tensorWriter, tensor));
    }
    for (const input of model.inputs) graph.message(11, (info) => writeValueInfo(info, input));
    for (const output of model.outputs) graph.message(12, (info) => writeValueInfo(info, output));
  });
  for (const [domain, version] of Object.entries(model.opsets)) {
    writer.message(8, (opset) => {
      opset.string(1, domain);
      opset.int(2, version);
    });
  }
  return writer.finish();
}
