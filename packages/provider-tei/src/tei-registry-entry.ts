import {
  type EmbeddingModelV1,
  InvalidArgumentError,
  type ProviderModuleV1,
  type RerankStageV1,
  type ResolveOptions,
} from '@twostage/core';
import { checkOptionNames } from '@twostage/core/provider-utils';
import { teiEmbeddingOptionNames } from './tei-embedding-options.js';
import { createTei } from './tei-provider.js';
import { parseTeiRerankOptions, teiRerankOptionNames } from './tei-rerank-options.js';
import { teiSettingNames } from './validate-tei-settings.js';

const providerSettingNames: readonly string[] = teiSettingNames.filter((name) => name !== 'fetch');

/**
 * The entry point of core's registry: `TWOSTAGE_RERANKER=tei:<model>` with `TEI_BASE_URL` set
 * imports this package and calls `reranker`. The registry's `settings` may carry the provider
 * settings (`baseUrl`, `apiKey`, `headers`, `maxDocumentsPerCall`, `maxConcurrentTexts`,
 * `timeoutMs`) and the reranker options (`rawScores`, `truncate`, `truncationDirection`).
 * `TWOSTAGE_EMBEDDING_MODEL=tei:<model>` needs `settings.dimensions` (TEI does not report it),
 * with the optional `normalize`, `truncate` and `promptNames`.
 */
export const twostageProvider = {
  reranker(modelId: string | undefined, options: ResolveOptions = {}): RerankStageV1 {
    if (modelId === undefined || modelId.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message: "a tei reference needs the served model, e.g. 'tei:BAAI/bge-reranker-base'.",
      });
    }
    const settings = options.settings ?? {};
    checkOptionNames(
      settings,
      [...providerSettingNames, ...teiRerankOptionNames],
      "the 'tei' provider",
      'settings',
    );
    const provider: Record<string, unknown> = {};
    const rerank: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(settings)) {
      if (value === undefined) continue;
      if (providerSettingNames.includes(key)) provider[key] = value;
      else rerank[key] = value;
    }
    return createTei(provider).reranker(modelId, parseTeiRerankOptions(rerank, 'settings'));
  },
  embeddingModel(modelId: string | undefined, options: ResolveOptions = {}): EmbeddingModelV1 {
    if (modelId === undefined || modelId.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message: "a tei reference needs the served model, e.g. 'tei:BAAI/bge-small-en-v1.5'.",
      });
    }
    const settings = options.settings ?? {};
    checkOptionNames(
      settings,
      [...providerSettingNames, ...teiEmbeddingOptionNames],
      "the 'tei' provider",
      'settings',
    );
    const provider: Record<string, unknown> = {};
    const embed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(settings)) {
      if (value === undefined) continue;
      if (providerSettingNames.includes(key)) provider[key] = value;
      else embed[key] = value;
    }
    return createTei(provider).embeddingModel(modelId, embed as never);
  },
} satisfies ProviderModuleV1;
