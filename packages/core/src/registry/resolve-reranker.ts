import type { RerankStageV1 } from '../spec/v1/index.js';
import type { ResolveOptions } from './provider-module-v1.js';
import { resolveModel } from './resolve-model.js';

/**
 * Resolves a rerank stage from a `provider:model` reference, or from the `TWOSTAGE_RERANKER`
 * environment variable when `ref` is omitted: configuration alone swaps the reranker.
 *
 * @example
 * const reranker = await resolveReranker('cohere:rerank-multilingual-v3.0');
 * const reranker = await resolveReranker(); // TWOSTAGE_RERANKER=local-onnx:Xenova/ms-marco-MiniLM-L-6-v2
 * @throws MissingSettingError when `ref` is omitted and `TWOSTAGE_RERANKER` is not set
 * @throws InvalidArgumentError when the reference is malformed or the provider has no reranker
 * @throws ProviderNotFoundError when `@twostage/provider-<name>` is not installed
 */
export function resolveReranker(
  ref?: string,
  options: ResolveOptions = {},
): Promise<RerankStageV1> {
  return resolveModel('reranker', 'TWOSTAGE_RERANKER', ref, options);
}
