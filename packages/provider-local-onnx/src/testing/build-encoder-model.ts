import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { encodeOnnxModel } from './onnx-protobuf-writer.js';
import { SeededRandom } from './seeded-random.js';

/** The shape of a synthetic BERT- or XLM-R-architecture encoder. */
export type SyntheticEncoderSpec = {
  /** `bert` (WordPiece, token_type_ids input) or `xlm-roberta` (Unigram, offset positions). */
  architecture: 'bert' | 'xlm-roberta';
  /** A cross-encoder (`logits`) or a bi-encoder (`last_hidden_state`). */
  task: 'sequence-classification' | 'feature-extraction';
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
  /** Logits per pair for a cross-encoder (1 or 2). */
  numLabels: number;
  /** Seed of the random weights. */
  seed: number;
  /** Standard deviation of the random weights. @default 0.08 */
  weightScale?: number;
};

/** The token id of padding: BERT's `[PAD]` is 0, XLM-R's `<pad>` is 1. */
export function padTokenIdOf(architecture: SyntheticEncoderSpec['architecture']): number {
  return architecture === 'bert' ? 0 : 1;
}

/** Weights drawn once per spec, shared by the fp32 and int8 graphs so they describe one model. */
type Weights = { random: SeededRandom; cache: Map<string, Float32Array> };

function weight(weights: Weights, name: string, size: number, scale: number, offset = 0) {
  let values = weights.cache.get(name);
  if (values === undefined) {
    values = new Float32Array(size);
    for (let index = 0; index < size; index += 1) {
      values[index] = offset + weights.random.normal(scale);
    }
    weights.cache.set(name, values);
  }
  return values;
}

/**
 * Symmetric per-tensor int8 quantization of a weight matrix, as onnxruntime's
 * `quantize_dynamic(weight_type=QInt8)` does by default (no per-channel, no reduce-range).
 */
function quantizeWeight(values: Float32Array): { data: Int8Array; scale: number } {
  let maxAbs = 0;
  for (const value of values) maxAbs = Math.max(maxAbs, Math.abs(value));
  const scale = maxAbs / 127 || 1;
  const data = new Int8Array(values.length);
  for (let index = 0; index < values.length; index += 1) {
    data[index] = Math.max(-127, Math.min(127, Math.round((values[index] as number) / scale)));
  }
  return { data, scale };
}

/**
 * Builds the ONNX bytes of a synthetic encoder. The graph mirrors what optimum / transformers.js
 * exports contain: Gather embeddings, LayerNormalization, per-head attention with an additive
 * mask, exact (Erf) GELU, and for cross-encoders the CLS → dense → tanh → classifier head.
 *
 * With `quantized`, every MatMul with a constant weight becomes the QOperator pattern that
 * `onnxruntime.quantization.quantize_dynamic` emits: `DynamicQuantizeLinear` (uint8 activations)
 * → `MatMulInteger` (int8 weights) → `Cast` → `Mul` by the product of scales.
 */
export function buildEncoderModel(spec: SyntheticEncoderSpec, quantized: boolean): Uint8Array {
  const weights: Weights = { random: new SeededRandom(spec.seed), cache: new Map() };
  const scale = spec.weightScale ?? 0.08;
  const graph = new OnnxGraphBuilder();
  const hidden = spec.hiddenSize;
  const headSize = hidden / spec.numHeads;
  const isBert = spec.architecture === 'bert';
  const padId = padTokenIdOf(spec.architecture);
  const epsilon = isBert ? 1e-12 : 1e-5;

  const inputIds = graph.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = graph.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  const tokenTypeIds = isBert
    ? graph.input('token_type_ids', 'int64', ['batch_size', 'sequence_length'])
    : undefined;

  const param = (name: string, dims: number[], std: number, offset = 0) =>
    graph.floats(
      name,
      dims,
      weight(
        weights,
        name,
        dims.reduce((a, b) => a * b, 1),
        std,
        offset,
      ),
    );

  const layerNorm = (value: string, name: string) =>
    graph.op(
      'LayerNormalization',
      [value, param(`${name}.weight`, [hidden], 0.05, 1), param(`${name}.bias`, [hidden], 0.05)],
      {
        attributes: [
          { name: 'axis', kind: 'int', value: -1 },
          { name: 'epsilon', kind: 'float', value: epsilon },
        ],
      },
    );

  const linear = (value: string, name: string, inputSize: number, outputSize: number) => {
    const weightName = `${name}.weight`;
    const values = weight(weights, weightName, inputSize * outputSize, scale);
    let product: string;
    if (quantized) {
      const { data, scale: weightScale } = quantizeWeight(values);
      const quantizedWeight = graph.int8s(`${weightName}_quantized`, [inputSize, outputSize], data);
      const weightZeroPoint = graph.int8s(`${weightName}_zero_point`, [], Int8Array.of(0));
      const quantizedInput = graph.op('DynamicQuantizeLinear', [value], { outputCount: 3 });
      const integer = graph.op('MatMulInteger', [
        quantizedInput,
        quantizedWeight,
        `${quantizedInput}_out2`,
        weightZeroPoint,
      ]);
      const asFloat = graph.op('Cast', [integer], {
        attributes: [{ name: 'to', kind: 'int', value: 1 }],
      });
      const combinedScale = graph.op('Mul', [`${quantizedInput}_out1`, graph.scalar(weightScale)]);
      product = graph.op('Mul', [asFloat, combinedScale]);
    } else {
      product = graph.op('MatMul', [
        value,
        graph.floats(weightName, [inputSize, outputSize], values),
      ]);
    }
    return graph.op('Add', [product, param(`${name}.bias`, [outputSize], scale)]);
  };

  // Embeddings.
  const wordEmbeddings = param('embeddings.word_embeddings.weight', [spec.vocabSize, hidden], 0.5);
  let embeddings = graph.op('Gather', [wordEmbeddings, inputIds]);
  const positionTable = param(
    'embeddings.position_embeddings.weight',
    [spec.maxPositionEmbeddings, hidden],
    0.2,
  );
  const typeTable = param('embeddings.token_type_embeddings.weight', [isBert ? 2 : 1, hidden], 0.2);
  if (isBert) {
    const shape = graph.op('Shape', [inputIds]);
    const length = graph.op('Gather', [shape, graph.int64s('const_one', [], [1])], {
      attributes: [{ name: 'axis', kind: 'int', value: 0 }],
    });
    const positions = graph.op('Range', [
      graph.int64s('const_zero', [], [0]),
      length,
      graph.int64s('const_step', [], [1]),
    ]);
    embeddings = graph.op('Add', [embeddings, graph.op('Gather', [positionTable, positions])]);
    embeddings = graph.op('Add', [
      embeddings,
      graph.op('Gather', [typeTable, tokenTypeIds as string]),
    ]);
  } else {
    // RoBERTa's create_position_ids_from_input_ids: cumsum over non-pad tokens, offset by pad id.
    const padConstant = graph.int64s('const_pad', [], [padId]);
    const notPad = graph.op('Not', [graph.op('Equal', [inputIds, padConstant])]);
    const notPadInt = graph.op('Cast', [notPad], {
      attributes: [{ name: 'to', kind: 'int', value: 7 }],
    });
    const cumulative = graph.op('CumSum', [notPadInt, graph.int64s('const_axis', [], [1])]);
    const positions = graph.op('Add', [graph.op('Mul', [cumulative, notPadInt]), padConstant]);
    embeddings = graph.op('Add', [embeddings, graph.op('Gather', [positionTable, positions])]);
    const typeRow = graph.op('Gather', [typeTable, graph.int64s('const_type', [], [0])], {
      attributes: [{ name: 'axis', kind: 'int', value: 0 }],
    });
    embeddings = graph.op('Add', [embeddings, typeRow]);
  }
  let hiddenStates = layerNorm(embeddings, 'embeddings.LayerNorm');

  // Additive attention mask: 0 for tokens, the most negative float for padding.
  const maskFloat = graph.op('Cast', [attentionMask], {
    attributes: [{ name: 'to', kind: 'int', value: 1 }],
  });
  const inverted = graph.op('Sub', [graph.scalar(1), maskFloat]);
  const additive = graph.op('Mul', [inverted, graph.scalar(-3.4028234663852886e38)]);
  const extendedMask = graph.op('Unsqueeze', [
    additive,
    graph.int64s('const_mask_axes', [2], [1, 2]),
  ]);

  const headShape = graph.int64s('const_head_shape', [4], [0, 0, spec.numHeads, headSize]);
  const mergedShape = graph.int64s('const_merged_shape', [3], [0, 0, hidden]);
  const transpose = (value: string, perm: number[]) =>
    graph.op('Transpose', [value], { attributes: [{ name: 'perm', kind: 'ints', value: perm }] });

  for (let layer = 0; layer < spec.numLayers; layer += 1) {
    const prefix = `encoder.layer.${layer}`;
    const split = (name: string, perm: number[]) =>
      transpose(
        graph.op('Reshape', [
          linear(hiddenStates, `${prefix}.attention.self.${name}`, hidden, hidden),
          headShape,
        ]),
        perm,
      );
    const query = split('query', [0, 2, 1, 3]);
    const key = split('key', [0, 2, 3, 1]);
    const value = split('value', [0, 2, 1, 3]);
    const scores = graph.op('Add', [
      graph.op('Div', [graph.op('MatMul', [query, key]), graph.scalar(Math.sqrt(headSize))]),
      extendedMask,
    ]);
    const probabilities = graph.op('Softmax', [scores], {
      attributes: [{ name: 'axis', kind: 'int', value: -1 }],
    });
    const context = graph.op('Reshape', [
      transpose(graph.op('MatMul', [probabilities, value]), [0, 2, 1, 3]),
      mergedShape,
    ]);
    const attentionOutput = linear(context, `${prefix}.attention.output.dense`, hidden, hidden);
    const afterAttention = layerNorm(
      graph.op('Add', [attentionOutput, hiddenStates]),
      `${prefix}.attention.output.LayerNorm`,
    );
    const intermediate = linear(
      afterAttention,
      `${prefix}.intermediate.dense`,
      hidden,
      spec.intermediateSize,
    );
    // Exact GELU: x · ½ · (1 + erf(x / √2)), as exported by torch for `hidden_act: gelu`.
    const gelu = graph.op('Mul', [
      graph.op('Mul', [
        intermediate,
        graph.op('Add', [
          graph.op('Erf', [graph.op('Div', [intermediate, graph.scalar(Math.SQRT2)])]),
          graph.scalar(1),
        ]),
      ]),
      graph.scalar(0.5),
    ]);
    const output = linear(gelu, `${prefix}.output.dense`, spec.intermediateSize, hidden);
    hiddenStates = layerNorm(
      graph.op('Add', [output, afterAttention]),
      `${prefix}.output.LayerNorm`,
    );
  }

  if (spec.task === 'feature-extraction') {
    graph.output(hiddenStates, 'last_hidden_state', 'float', [
      'batch_size',
      'sequence_length',
      hidden,
    ]);
  } else {
    const cls = graph.op('Gather', [hiddenStates, graph.int64s('const_cls', [], [0])], {
      attributes: [{ name: 'axis', kind: 'int', value: 1 }],
    });
    const pooled = graph.op('Tanh', [
      linear(cls, isBert ? 'pooler.dense' : 'classifier.dense', hidden, hidden),
    ]);
    const logits = linear(
      pooled,
      isBert ? 'classifier' : 'classifier.out_proj',
      hidden,
      spec.numLabels,
    );
    graph.output(logits, 'logits', 'float', ['batch_size', spec.numLabels]);
  }
  return encodeOnnxModel(graph.build('synthetic_encoder', { '': 17 }));
}
