import type { EmbeddingModelV3, RerankingModelV3 } from '@ai-sdk/provider';
import { MockEmbeddingModel, MockRerankStage } from '@twostage/core/mock';
import { embeddingModelTests, rerankStageTests } from '@twostage/core/testing';
import { MockEmbeddingModelV3, MockRerankingModelV3 } from 'ai/test';
import { describe, test } from 'vitest';
import {
  fromAiSdkEmbeddingModel,
  fromAiSdkRerankingModel,
  toAiSdkEmbeddingModel,
  toAiSdkRerankingModel,
} from '../src/index.js';

// An AI SDK model built with the AI SDK's own mocks, scoring (or embedding) as core's mock
// stage does, so the suite's relevance and Unicode checks have a known model behind them.
function aiSdkRerankingModel(stage: MockRerankStage): RerankingModelV3 {
  return new MockRerankingModelV3({
    provider: 'mock-ai-sdk',
    modelId: 'mock-reranker',
    doRerank: async ({ documents, query, topN, abortSignal }) => {
      const { ranking } = await stage.doRerank({
        documents:
          documents.type === 'text'
            ? { type: 'text', values: documents.values }
            : { type: 'object', values: documents.values },
        query,
        ...(topN === undefined ? {} : { topN }),
        ...(abortSignal === undefined ? {} : { abortSignal }),
      });
      return { ranking: ranking.map(({ index, score }) => ({ index, relevanceScore: score })) };
    },
  });
}

function aiSdkEmbeddingModel(model: MockEmbeddingModel): EmbeddingModelV3 {
  return new MockEmbeddingModelV3({
    provider: 'mock-ai-sdk',
    modelId: 'mock-embedder',
    maxEmbeddingsPerCall: 5,
    doEmbed: async ({ values, abortSignal }) => {
      const { embeddings } = await model.doEmbed({
        values,
        inputType: 'document',
        ...(abortSignal === undefined ? {} : { abortSignal }),
      });
      return { embeddings: embeddings.map((vector) => Array.from(vector)), warnings: [] };
    },
  });
}

describe('fromAiSdkRerankingModel() stage conformance (MockRerankingModelV3)', () => {
  rerankStageTests(
    test,
    () =>
      fromAiSdkRerankingModel(aiSdkRerankingModel(new MockRerankStage({ latencyMs: 2 })), {
        scoreKind: 'probability',
        maxDocumentsPerCall: 7,
      }),
    { scoreKind: 'probability', unicodeNormalization: true },
  );
});

describe('toAiSdkRerankingModel() conformance, through a round trip back into twostage', () => {
  // The AI SDK model is what the AI SDK calls; bridging it back makes a stage the suite can drive,
  // with the inner stage's maxDocumentsPerCall windowed inside the AI SDK model by core.
  rerankStageTests(
    test,
    () =>
      fromAiSdkRerankingModel(
        toAiSdkRerankingModel(new MockRerankStage({ maxDocumentsPerCall: 4, latencyMs: 2 })),
        { scoreKind: 'probability' },
      ),
    { scoreKind: 'probability', unicodeNormalization: true },
  );
});

describe('fromAiSdkEmbeddingModel() conformance (MockEmbeddingModelV3)', () => {
  embeddingModelTests(
    test,
    () =>
      fromAiSdkEmbeddingModel(aiSdkEmbeddingModel(new MockEmbeddingModel({ latencyMs: 2 })), {
        dimensions: new MockEmbeddingModel().dimensions,
      }),
    { normalized: true, unicodeNormalization: true, vectorTolerance: 0 },
  );
});

describe('toAiSdkEmbeddingModel() conformance, through a round trip back into twostage', () => {
  embeddingModelTests(
    test,
    () => {
      const inner = new MockEmbeddingModel({
        dimensions: 16,
        maxEmbeddingsPerCall: 3,
        latencyMs: 2,
      });
      return fromAiSdkEmbeddingModel(toAiSdkEmbeddingModel(inner), { dimensions: 16 });
    },
    { normalized: true },
  );
});
