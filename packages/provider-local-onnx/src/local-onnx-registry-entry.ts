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

/** Settings that belong to the provider alone; `executionProvider`, `threads` and `workers` are both. */
const providerOnlySettings = new Set([
  'cacheDir',
  'hubEndpoint',
  'hubToken',
  'offline',
  'fetch',
  'onDownloadProgress',
]);

/**
 * Splits the registry's one `settings` object into provider settings and model options, so
 * each is checked by name against its own list.
 */
function splitSettings(settings: Record<string, unknown>): {
  provider: Record<string, unknown>;
  model: Record<string, unknown>;
} {
  const provider: Record<string, unknown> = {};
  const model: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(settings)) {
    if (providerOnlySettings.has(name)) provider[name] = value;
    else model[name] = value;
  }
  return { provider, model };
}

/**
 * The registry entry point, found by `resolveReranker('local-onnx:<hub id or ./dir>')` and
 * `TWOSTAGE_RERANKER=local-onnx:...`. `options.settings` may hold provider settings (`cacheDir`,
 * `hubEndpoint`, `offline`, ...) and model options (`dtype`, `threads`, `activation`, ...).
 */
export const twostageProvider = {
  reranker(modelId: string | undefined, options: ResolveOptions = {}) {
    const { provider, model } = splitSettings(options.settings ?? {});
    return createLocalOnnx(provider as LocalOnnxProviderSettings).reranker(
      requireModelId(modelId, 'reranker'),
      model as LocalOnnxRerankerOptions,
    );
  },
  embeddingModel(modelId: string | undefined, options: ResolveOptions = {}) {
    const { provider, model } = splitSettings(options.settings ?? {});
    return createLocalOnnx(provider as LocalOnnxProviderSettings).embeddingModel(
      requireModelId(modelId, 'embedding model'),
      model as LocalOnnxEmbeddingModelOptions,
    );
  },
} satisfies ProviderModuleV1;
