import type {
  OnnxAttribute,
  OnnxDataTypeName,
  OnnxModel,
  OnnxNode,
  OnnxTensor,
  OnnxValueInfo,
} from './onnx-protobuf-writer.js';

function toBytes(values: Float32Array | BigInt64Array | Int8Array | Uint8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Builds an ONNX graph node by node; every helper returns the name of its output. */
export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private counter = 0;

  private fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }

  /** Declares a graph input. */
  input(name: string, dataType: OnnxDataTypeName, shape: readonly (number | string)[]): string {
    this.inputs.push({ name, dataType, shape });
    return name;
  }

  /** Declares a graph output, renaming `value` through an `Identity` node. */
  output(
    value: string,
    name: string,
    dataType: OnnxDataTypeName,
    shape: readonly (number | string)[],
  ): void {
    this.op('Identity', [value], { outputName: name });
    this.outputs.push({ name, dataType, shape });
  }

  /** Adds a float32 initializer. */
  floats(name: string, dims: readonly number[], values: Float32Array): string {
    this.initializers.push({ name, dataType: 'float', dims, rawData: toBytes(values) });
    return name;
  }

  /** Adds an int64 initializer. */
  int64s(name: string, dims: readonly number[], values: readonly number[]): string {
    const data = BigInt64Array.from(values.map((value) => BigInt(value)));
    this.initializers.push({ name, dataType: 'int64', dims, rawData: toBytes(data) });
    return name;
  }

  /** Adds an int8 initializer. */
  int8s(name: string, dims: readonly number[], values: Int8Array): string {
    this.initializers.push({ name, dataType: 'int8', dims, rawData: toBytes(values) });
    return name;
  }

  /** A scalar float constant. */
  scalar(value: number): string {
    return this.floats(this.fresh('const'), [], Float32Array.of(value));
  }

  /** Adds a node and returns its (first) output name. */
  op(
    opType: string,
    inputs: readonly string[],
    options: {
      attributes?: readonly OnnxAttribute[];
      domain?: string;
      outputName?: string;
      outputCount?: number;
    } = {},
  ): string {
    const first = options.outputName ?? this.fresh(opType.toLowerCase());
    const outputs = [first];
    for (let index = 1; index < (options.outputCount ?? 1); index += 1) {
      outputs.push(`${first}_out${index}`);
    }
    const node: OnnxNode = {
      opType,
      inputs,
      outputs,
      name: this.fresh(`node_${opType}`),
      ...(options.domain === undefined ? {} : { domain: options.domain }),
      ...(options.attributes === undefined ? {} : { attributes: options.attributes }),
    };
    this.nodes.push(node);
    return first;
  }

  /** The finished model description. */
  build(graphName: string, opsets: Readonly<Record<string, number>>): OnnxModel {
    return {
      graphName,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      opsets,
    };
  }
}
