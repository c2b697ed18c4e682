import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { MockDocument } from '../mock/mock-document.js';
import { MockEmbeddingModel } from '../mock/mock-embedding-model.js';
import { MockRerankStage } from '../mock/mock-rerank-stage.js';
import { MockRetrieveStage } from '../mock/mock-retrieve-stage.js';
import { describe } from '../util/validate-arguments.js';
import type { ProviderModuleV1 } from './provider-module-v1.js';

/**
 * The `mock` provider: the deterministic mocks of `@twostage/core/mock`, so that a pipeline
 * runs end to end from configuration alone (`TWOSTAGE_RERANKER=mock`). Settings, all optional:
 * `maxDocumentsPerCall`, `latencyMs` (reranker); `documents` (retriever's corpus, empty by
 * default); `dimensions`, `maxEmbeddingsPerCall`, `latencyMs` (embedding model).
 */
export const mockProvider: ProviderModuleV1 = {
  reranker(modelId, { settings = {} }) {
    return new MockRerankStage({
      modelId: modelId ?? 'mock-reranker',
      maxDocumentsPerCall: optionalNumber(settings, 'maxDocumentsPerCall'),
      latencyMs: optionalNumber(settings, 'latencyMs') ?? 0,
    });
  },
  retriever(modelId, { settings = {} }) {
    const { documents = [] } = settings;
    if (!Array.isArray(documents)) {
      throw new InvalidArgumentError({
        argument: 'settings.documents',
        message: 'must be an array of { id, text, metadata? }.',
      });
    }
    return new MockRetrieveStage({
      documents: documents as MockDocument[],
      modelId: modelId ?? 'mock-index',
      latencyMs: optionalNumber(settings, 'latencyMs') ?? 0,
    });
  },
  embeddingModel(modelId, { settings = {} }) {
    const model = new MockEmbeddingModel({
      modelId: modelId ?? 'mock-embedding',
      dimensions: optionalNumber(settings, 'dimensions') ?? 64,
      latencyMs: optionalNumber(settings, 'latencyMs') ?? 0,
      ...('maxEmbeddingsPerCall' in settings
        ? { maxEmbeddingsPerCall: optionalNumber(settings, 'maxEmbeddingsPerCall') }
        : {}),
    });
    return model;
  },
};

function optionalNumber(settings: Record<string, unknown>, name: string): number | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError({
      argument: `settings.${name}`,
      message: `must be a finite number, got ${describe(value)}.`,
    });
  }
  return value;
}
