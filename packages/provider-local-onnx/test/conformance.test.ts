import { embeddingModelTests, rerankStageTests } from '@twostage/core/testing';
import { afterAll, describe, test } from 'vitest';
import {
  createLocalOnnx,
  type LocalOnnxEmbeddingModel,
  type LocalOnnxRerankStage,
} from '../src/index.js';
import { fixtureModel } from './fixture-models.js';

// One model per suite, shared by its checks: stages are stateless, and a worker per check would
// only add start-up time.
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

function shared<T extends LocalOnnxRerankStage | LocalOnnxEmbeddingModel>(
  create: () => T,
): () => T {
  let instance: T | undefined;
  return () => {
    if (instance === undefined) {
      const created = create();
      instance = created;
      closers.push(() => created.close());
    }
    return instance;
  };
}

// Random weights know no relevance: the relevance checks are off, everything else applies.
const randomWeights = {
  lexicalRelevance: false,
  semanticRelevance: false,
  unicodeNormalization: true,
  timeoutMs: 60_000,
} as const;

describe('local-onnx rerank stage conformance (synthetic BERT, fp32, worker)', () => {
  rerankStageTests(
    test,
    shared(() => createLocalOnnx().reranker(fixtureModel('bert-cross-encoder'))),
    {
      ...randomWeights,
      scoreKind: 'probability',
    },
  );
});

describe('local-onnx rerank stage conformance (synthetic XLM-R, int8 deterministic, identity)', () => {
  rerankStageTests(
    test,
    shared(() =>
      createLocalOnnx().reranker(fixtureModel('xlm-roberta-cross-encoder'), {
        dtype: 'q8',
        deterministic: true,
        activation: 'identity',
      }),
    ),
    { ...randomWeights, scoreKind: 'logit' },
  );
});

describe('local-onnx embedding model conformance (synthetic BERT, mean pooling)', () => {
  embeddingModelTests(
    test,
    shared(() => createLocalOnnx().embeddingModel(fixtureModel('bert-bi-encoder'))),
    {
      normalized: true,
      lexicalSimilarity: true,
      unicodeNormalization: true,
      timeoutMs: 60_000,
    },
  );
});

describe('local-onnx embedding model conformance (synthetic XLM-R, CLS pooling, prompts)', () => {
  embeddingModelTests(
    test,
    shared(() => createLocalOnnx().embeddingModel(fixtureModel('xlm-roberta-bi-encoder'))),
    {
      normalized: true,
      lexicalSimilarity: true,
      unicodeNormalization: true,
      timeoutMs: 60_000,
    },
  );
});
