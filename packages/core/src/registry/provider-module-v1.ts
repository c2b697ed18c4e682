import type { EmbeddingModelV1, RerankStageV1, RetrieveStageV1 } from '../spec/v1/index.js';

/** What a provider receives when the registry asks it for a model. */
export type ResolveOptions = {
  /**
   * The embedding model a retriever should embed queries with (vector and hybrid retrievers);
   * providers that need one and get none may resolve their own.
   */
  embeddingModel?: EmbeddingModelV1;
  /** Provider-specific settings (an API key, an index host, a cache directory...). */
  settings?: Record<string, unknown>;
  /**
   * The application's root, from which `@twostage/provider-<name>` packages are resolved.
   * @default process.cwd()
   */
  cwd?: string;
};

/**
 * What a provider package exports as `twostageProvider`, so that a `provider:model` reference
 * resolves to one of its models. Each factory may return a promise (to load lazily).
 *
 * `modelId` is the part of the reference after the first colon (it may contain `/`, `:` and
 * `.`), or `undefined` for a bare `provider` reference; a provider that needs a model throws an
 * `InvalidArgumentError` then.
 *
 * @example
 * export const twostageProvider: ProviderModuleV1 = {
 *   reranker: (modelId, options) => createCohere(options?.settings).reranker(modelId ?? 'rerank-v3.5'),
 * };
 */
export type ProviderModuleV1 = {
  /** Builds a rerank stage (`TWOSTAGE_RERANKER`). */
  reranker?(
    modelId: string | undefined,
    options: ResolveOptions,
  ): RerankStageV1 | PromiseLike<RerankStageV1>;
  /** Builds a retrieve stage (`TWOSTAGE_RETRIEVER`). */
  retriever?(
    modelId: string | undefined,
    options: ResolveOptions,
  ): RetrieveStageV1 | PromiseLike<RetrieveStageV1>;
  /** Builds an embedding model (`TWOSTAGE_EMBEDDING_MODEL`). */
  embeddingModel?(
    modelId: string | undefined,
    options: ResolveOptions,
  ): EmbeddingModelV1 | PromiseLike<EmbeddingModelV1>;
};

/** The kinds of model a provider can offer: the names of {@link ProviderModuleV1}'s factories. */
export type ProviderModelKind = keyof ProviderModuleV1;
