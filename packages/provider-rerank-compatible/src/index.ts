/**
 * `@twostage/provider-rerank-compatible`: rerank over the HTTP routes serving engines already
 * speak, so a vLLM or Infinity fleet is reached by configuration alone: Cohere v2-shaped
 * (`/v2/rerank`), Jina-shaped (`/v1/rerank`) and Infinity's `/rerank`.
 * @packageDocumentation
 */
export type { RerankCompatibleApi } from './rerank-compatible-api.js';
export type { RerankCompatibleRerankOptions } from './rerank-compatible-options.js';
export {
  createRerankCompatible,
  type RerankCompatibleProvider,
  rerankCompatible,
} from './rerank-compatible-provider.js';
export type { RerankCompatibleProviderSettings } from './rerank-compatible-provider-settings.js';
export { twostageProvider } from './rerank-compatible-registry-entry.js';
export type { RerankCompatibleRerankStage } from './rerank-compatible-rerank-stage.js';
export { VERSION } from './version.js';
