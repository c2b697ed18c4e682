import type { RetrieveStageV1 } from '../spec/v1/index.js';
import type { ResolveOptions } from './provider-module-v1.js';
import { resolveModel } from './resolve-model.js';

/**
 * Resolves a retrieve stage from a `provider:model` reference, or from the `TWOSTAGE_RETRIEVER`
 * environment variable when `ref` is omitted. Vector retrievers take the query embedding model
 * from `options.embeddingModel`.
 *
 * @example
 * const retriever = await resolveRetriever('bm25:./data/bank-index');
 * const retriever = await resolveRetriever('pinecone:my-index', { embeddingModel: await resolveEmbeddingModel() });
 * @throws MissingSettingError when `ref` is omitted and `TWOSTAGE_RETRIEVER` is not set
 * @throws InvalidArgumentError when the reference is malformed or the provider has no retriever
 * @throws ProviderNotFoundError when `@twostage/provider-<name>` is not installed
 */
export function resolveRetriever(
  ref?: string,
  options: ResolveOptions = {},
): Promise<RetrieveStageV1> {
  return resolveModel('retriever', 'TWOSTAGE_RETRIEVER', ref, options);
}
