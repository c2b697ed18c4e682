import type { SyntheticModelOptions } from '../src/testing/index.js';

const tiny = {
  vocabSize: 1000,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 64,
} as const;

/**
 * The committed test fixtures (`test/fixtures/models/<name>`): tiny synthetic models, a few
 * hundred kilobytes each. `pnpm generate-models fixtures` rewrites them byte for byte.
 */
export const fixtureSpecs: Record<string, SyntheticModelOptions> = {
  'bert-cross-encoder': {
    ...tiny,
    architecture: 'bert',
    task: 'sequence-classification',
    numLabels: 1,
    maxPositionEmbeddings: 128,
    modelMaxLength: 128,
    seed: 11,
  },
  'xlm-roberta-cross-encoder': {
    ...tiny,
    architecture: 'xlm-roberta',
    task: 'sequence-classification',
    numLabels: 1,
    // 130 positions minus the offset of 2 (pad id + 1) leave 128 tokens; model_max_length is larger.
    maxPositionEmbeddings: 130,
    modelMaxLength: 512,
    seed: 12,
  },
  'bert-cross-encoder-two-labels': {
    ...tiny,
    architecture: 'bert',
    task: 'sequence-classification',
    numLabels: 2,
    maxPositionEmbeddings: 128,
    modelMaxLength: 128,
    activationFunction: 'torch.nn.modules.linear.Identity',
    quantized: false,
    seed: 13,
  },
  'bert-bi-encoder': {
    ...tiny,
    architecture: 'bert',
    task: 'feature-extraction',
    numLabels: 1,
    maxPositionEmbeddings: 128,
    modelMaxLength: 128,
    pooling: 'mean',
    seed: 14,
  },
  'xlm-roberta-bi-encoder': {
    ...tiny,
    architecture: 'xlm-roberta',
    task: 'feature-extraction',
    numLabels: 1,
    maxPositionEmbeddings: 130,
    modelMaxLength: 512,
    pooling: 'cls',
    prompts: { query: 'query: ', document: 'passage: ' },
    quantized: false,
    seed: 15,
  },
};

/** Benchmark models with real shapes (random weights), generated on demand into `bench/.models/`. */
export const benchSpecs: Record<string, SyntheticModelOptions> = {
  'minilm-l6-cross-encoder': {
    architecture: 'bert',
    task: 'sequence-classification',
    vocabSize: 30522,
    hiddenSize: 384,
    numLayers: 6,
    numHeads: 12,
    intermediateSize: 1536,
    maxPositionEmbeddings: 512,
    modelMaxLength: 512,
    numLabels: 1,
    activationFunction: 'torch.nn.modules.linear.Identity',
    weightScale: 0.04,
    seed: 101,
  },
  'bge-base-cross-encoder': {
    architecture: 'xlm-roberta',
    task: 'sequence-classification',
    // bge-reranker-base has 250002 pieces; a smaller vocabulary changes no FLOPs, only file size.
    vocabSize: 8000,
    hiddenSize: 768,
    numLayers: 12,
    numHeads: 12,
    intermediateSize: 3072,
    maxPositionEmbeddings: 514,
    modelMaxLength: 512,
    numLabels: 1,
    weightScale: 0.03,
    seed: 102,
  },
};
