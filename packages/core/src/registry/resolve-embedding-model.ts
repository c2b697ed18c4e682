import type { EmbeddingModelV1 } from '../spec/v1/index.js';
import type { ResolveOptions } from './provider-module-v1.js';
import { resolveModel } from './resolve-model.js';

/**
 * Resolves an embedding model from a `provider:model` reference, or from the
 * `TWOSTAGE_EMBEDDING_MODEL` environment variable when `ref` is omitted.
 *
 * @example const embeddingModel = await resolveEmbeddingModel('cohere:embed-multilingual-v3.0');
 * @throws MissingSettingError when `ref` is omitted and `TWOSTAGE_EMBEDDING_MODEL` is not set
 * @throws InvalidArgumentError when the reference is malformed or the provider has no embedding model
 * @throws ProviderNotFoundError when `@twostage/provider-<name>` is not installed
 */
export function resolveEmbeddingModel(
  ref?: string,
  options: ResolveOptions = {},
): Promise<EmbeddingModelV1> {
  return resolveModel('embeddingModel', 'TWOSTAGE_EMBEDDING_MODEL', ref, options);
}
