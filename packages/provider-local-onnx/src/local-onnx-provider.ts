import {
  checkLocalOnnxEmbeddingOptions,
  checkLocalOnnxRerankerOptions,
  checkLocalOnnxSettings,
} from './check-local-onnx-options.js';
import { LocalOnnxEmbeddingModel } from './local-onnx-embedding-model.js';
import { LocalOnnxRerankStage } from './local-onnx-rerank-stage.js';
import type {
  LocalOnnxEmbeddingModelOptions,
  LocalOnnxProviderSettings,
  LocalOnnxRerankerOptions,
} from './local-onnx-settings.js';

/** A provider instance: factories for rerank stages and embedding models sharing its settings. */
export type LocalOnnxProvider = {
  /**
   * A cross-encoder rerank stage.
   * @param modelIdOrDirectory - a hub id (`Xenova/ms-marco-MiniLM-L-6-v2`) or a local directory in the optimum layout
   */
  reranker(modelIdOrDirectory: string, options?: LocalOnnxRerankerOptions): LocalOnnxRerankStage;
  /**
   * A bi-encoder embedding model.
   * @param modelIdOrDirectory - a hub id (`Xenova/all-MiniLM-L6-v2`) or a local directory
   */
  embeddingModel(
    modelIdOrDirectory: string,
    options?: LocalOnnxEmbeddingModelOptions,
  ): LocalOnnxEmbeddingModel;
};

/**
 * Creates a provider with its own settings (cache directory, hub endpoint, offline mode,
 * execution provider). Nothing is loaded until a model's first call: importing and creating are
 * free, and the native onnxruntime addon loads only inside the inference worker.
 *
 * @example
 * const local = createLocalOnnx({ cacheDir: '/var/cache/models', threads: 2 });
 * const reranker = local.reranker('Xenova/ms-marco-MiniLM-L-6-v2', { dtype: 'q8' });
 */
export function createLocalOnnx(settings: LocalOnnxProviderSettings = {}): LocalOnnxProvider {
  checkLocalOnnxSettings(settings);
  const frozen = { ...settings };
  return {
    reranker: (modelIdOrDirectory, options = {}) => {
      checkLocalOnnxRerankerOptions(modelIdOrDirectory, options);
      return new LocalOnnxRerankStage(modelIdOrDirectory, frozen, { ...options });
    },
    embeddingModel: (modelIdOrDirectory, options = {}) => {
      checkLocalOnnxEmbeddingOptions(modelIdOrDirectory, options);
      return new LocalOnnxEmbeddingModel(modelIdOrDirectory, frozen, { ...options });
    },
  };
}

/** The default provider: settings from the environment (`TWOSTAGE_CACHE_DIR`, `HF_ENDPOINT`, ...). */
export const localOnnx: LocalOnnxProvider = createLocalOnnx();
