import type { SyntheticModelOptions } from './write-synthetic-model.js';

/**
 * The options of a tiny synthetic BERT cross-encoder for {@link writeSyntheticModel}: one label,
 * 1000 words, 32 hidden, 2 layers, 128 tokens, fp32 only. Small enough to load in milliseconds,
 * so a test runs a real ONNX model (random weights: scores carry no meaning). `overrides` change
 * any field, e.g. the seed or the length.
 */
export function tinyCrossEncoder(
  overrides: Partial<SyntheticModelOptions> = {},
): SyntheticModelOptions {
  return {
    architecture: 'bert',
    task: 'sequence-classification',
    numLabels: 1,
    vocabSize: 1000,
    hiddenSize: 32,
    numLayers: 2,
    numHeads: 4,
    intermediateSize: 64,
    maxPositionEmbeddings: 128,
    modelMaxLength: 128,
    seed: 12,
    quantized: false,
    ...overrides,
  };
}
