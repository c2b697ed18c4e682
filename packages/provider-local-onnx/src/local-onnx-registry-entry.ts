import { InvalidArgumentError, type ProviderModuleV1, type ResolveOptions } from '@twostage/core';
import { createLocalOnnx } from './local-onnx-provider.js';
import type {
  LocalOnnxEmbeddingModelOptions,
  LocalOnnxProviderSettings,
  LocalOnnxRerankerOptions,
} from './local-onnx-settings.js';

function requireModelId(modelId: string | undefined, kind: string): string {
  if (modelId === undefined || modelId.trim() === '') {
    throw new InvalidArgumentError({
      argument: 'modelId',
      message: `local-onnx needs a model for its ${kind}: 'local-onnx:<hub id>' or 'local-onnx:./path/to/model'.`,
    });
  }
  return modelId.trim();
}

/**
 * The registry entry point, found by `resolveReranker('local-onnx:<hub id or ./dir>')` and
 * `TWOSTAGE_RERANKER=local-onnx:...`. `options.settings` may hold provider settings (`cacheDir`,
 * `hubEndpoint`, `offline`, ...) and model options (`dtype`, `threads`, `activation`, ...).
 */
export const twostageProvider = {
  reranker(modelId: string | undefined, options: ResolveOptions = {}) {
    const settings = (options.settings ?? {}) as LocalOnnxProviderSettings &
      LocalOnnxRerankerOptions;
    return createLocalOnnx(settings).reranker(requireModelId(modelId, 'reranker'), settings);
  },
  embeddingModel(modelId: string | undefined, options: ResolveOptions = {}) {
    const settings = (options.settings ?? {}) as LocalOnnxProviderSettings &
      LocalOnnxEmbeddingModelOptions;
    return createLocalOnnx(settings).embeddingModel(
      requireModelId(modelId, 'embedding model'),
      settings,
    );
  },
} satisfies ProviderModuleV1;
