import {
  InvalidArgumentError,
  type ProviderModuleV1,
  type RerankStageV1,
  type ResolveOptions,
} from '@twostage/core';
import { checkOptionNames } from '@twostage/core/provider-utils';
import { parseRerankCompatibleOptions } from './rerank-compatible-options.js';
import { createRerankCompatible } from './rerank-compatible-provider.js';

const providerSettingNames = [
  'baseUrl',
  'api',
  'apiKey',
  'headers',
  'maxDocumentsPerCall',
  'timeoutMs',
] as const;
const rerankOptionNames = ['scoreKind', 'rawScores', 'maxTokensPerDoc'] as const;

/**
 * The entry point of core's registry: `TWOSTAGE_RERANKER=rerank-compatible:<model>` with
 * `RERANK_COMPATIBLE_BASE_URL` and `RERANK_COMPATIBLE_API` set imports this package and calls
 * `reranker`. The registry's `settings` may carry the provider settings (`baseUrl`, `api`,
 * `apiKey`, `headers`, `maxDocumentsPerCall`, `timeoutMs`) and the reranker options
 * (`scoreKind`, `rawScores`, `maxTokensPerDoc`). The model is required: an engine may serve
 * several.
 */
export const twostageProvider = {
  reranker(modelId: string | undefined, options: ResolveOptions = {}): RerankStageV1 {
    if (modelId === undefined || modelId.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message:
          "a rerank-compatible reference needs the served model, e.g. 'rerank-compatible:BAAI/bge-reranker-v2-m3'.",
      });
    }
    const settings = options.settings ?? {};
    checkOptionNames(
      settings,
      [...providerSettingNames, ...rerankOptionNames],
      "the 'rerank-compatible' provider",
      'settings',
    );
    const provider: Record<string, unknown> = {};
    const rerank: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(settings)) {
      if (value === undefined) continue;
      if ((providerSettingNames as readonly string[]).includes(key)) provider[key] = value;
      else rerank[key] = value;
    }
    return createRerankCompatible(provider).reranker(
      modelId,
      parseRerankCompatibleOptions(rerank, 'settings'),
    );
  },
} satisfies ProviderModuleV1;
