export { type ModelReference, parseModelReference } from './parse-model-reference.js';
export type { ProviderModelKind, ProviderModuleV1, ResolveOptions } from './provider-module-v1.js';
export { registerProvider, unregisterProvider } from './register-provider.js';
export { resolveEmbeddingModel } from './resolve-embedding-model.js';
export { resolveReranker } from './resolve-reranker.js';
export { resolveRetriever } from './resolve-retriever.js';
