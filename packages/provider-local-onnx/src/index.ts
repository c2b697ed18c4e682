/**
 * `@twostage/provider-local-onnx`: self-hosted cross-encoders and bi-encoders on onnxruntime-node.
 * Importing this module never loads the native addon; it loads inside the inference worker.
 * @packageDocumentation
 */
export { type DownloadProgressEvent, hubModelDirectory } from './hub/hub-download.js';
export {
  modelCacheDirectory,
  type PullHubModelOptions,
  pullHubModel,
} from './hub/pull-hub-model.js';
export { LocalOnnxEmbeddingModel } from './local-onnx-embedding-model.js';
export { createLocalOnnx, type LocalOnnxProvider, localOnnx } from './local-onnx-provider.js';
export { twostageProvider } from './local-onnx-registry-entry.js';
export { LocalOnnxRerankStage } from './local-onnx-rerank-stage.js';
export type {
  LocalOnnxEmbeddingModelOptions,
  LocalOnnxModelOptions,
  LocalOnnxProviderSettings,
  LocalOnnxRerankerOptions,
} from './local-onnx-settings.js';
export type { Activation, Pooling } from './model/model-config.js';
export type { ModelDtype } from './model/model-files.js';
export type { ExecutionProvider } from './runtime/model-runner.js';
export type { TruncationStrategy } from './tokenizer/truncate-pair.js';
export { VERSION } from './version.js';
