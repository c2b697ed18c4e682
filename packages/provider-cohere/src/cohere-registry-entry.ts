import {
  type EmbeddingModelV1,
  InvalidArgumentError,
  type ProviderModuleV1,
  type RerankStageV1,
  type ResolveOptions,
} from '@twostage/core';
import type { CohereEmbeddingModelOptions } from './cohere-embedding-options.js';
import { createCohere } from './cohere-provider.js';
import type { CohereProviderSettings } from './cohere-provider-settings.js';
import { type CohereRerankOptions, parseCohereRerankOptions } from './cohere-rerank-options.js';

/** The reranker of a bare `cohere` reference: Cohere's multilingual general-purpose model. */
export const defaultCohereRerankModelId = 'rerank-v3.5';

/** The embedding model of a bare `cohere` reference. */
export const defaultCohereEmbeddingModelId = 'embed-v4.0';

/**
 * The entry point of core's registry: `TWOSTAGE_RERANKER=cohere:rerank-multilingual-v3.0` (or
 * `resolveReranker('cohere:rerank-v3.5')`) imports this package and calls `reranker`. The
 * registry's `settings` may carry the provider settings (`apiKey`, `baseUrl`, `headers`,
 * `timeoutMs`, `clientName`), the rerank options (`maxTokensPerDoc`, `priority`, `rankFields`)
 * and, for embedding models, `dimensions`; the key is otherwise read from the environment. A bare
 * `cohere` reference means `rerank-v3.5` / `embed-v4.0`.
 */
export const twostageProvider = {
  reranker(modelId: string | undefined, options: ResolveOptions = {}): RerankStageV1 {
    const settings = options.settings ?? {};
    const rerankOptions: CohereRerankOptions = parseCohereRerankOptions(
      pick(settings, ['maxTokensPerDoc', 'priority', 'rankFields']),
      'settings',
    );
    return createCohere(providerSettings(settings)).reranker(
      modelId ?? defaultCohereRerankModelId,
      rerankOptions,
    );
  },
  embeddingModel(modelId: string | undefined, options: ResolveOptions = {}): EmbeddingModelV1 {
    const settings = options.settings ?? {};
    const modelOptions: CohereEmbeddingModelOptions = {};
    if (settings.dimensions !== undefined) {
      const dimensions = Number(settings.dimensions);
      if (!Number.isInteger(dimensions)) {
        throw new InvalidArgumentError({
          argument: 'settings.dimensions',
          message: `must be an integer, got ${String(settings.dimensions)}.`,
        });
      }
      modelOptions.dimensions = dimensions;
    }
    return createCohere(providerSettings(settings)).embeddingModel(
      modelId ?? defaultCohereEmbeddingModelId,
      modelOptions,
    );
  },
} satisfies ProviderModuleV1;

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of keys) if (record[key] !== undefined) result[key] = record[key];
  return result;
}

/** The provider settings among the registry's settings, type-checked. */
function providerSettings(settings: Record<string, unknown>): CohereProviderSettings {
  const result: CohereProviderSettings = {};
  for (const key of ['apiKey', 'baseUrl', 'clientName'] as const) {
    const value = settings[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new InvalidArgumentError({ argument: `settings.${key}`, message: 'must be a string.' });
    }
    result[key] = value;
  }
  if (settings.timeoutMs !== undefined) result.timeoutMs = Number(settings.timeoutMs);
  const headers = settings.headers;
  if (headers !== undefined) {
    if (
      headers === null ||
      typeof headers !== 'object' ||
      !Object.values(headers).every((value) => typeof value === 'string')
    ) {
      throw new InvalidArgumentError({
        argument: 'settings.headers',
        message: 'must be an object of string values.',
      });
    }
    result.headers = headers as Record<string, string>;
  }
  return result;
}
