import type { EmbeddingModelV1 } from '@twostage/core';
import { InvalidArgumentError, resolveEmbeddingModel } from '@twostage/core';
import { Bm25Retriever, rethrowAsCorrupt } from './bm25-retriever.js';
import { HybridRetriever } from './hybrid-retriever.js';
import {
  type EmbeddedIndexKind,
  type IndexManifest,
  readIndexData,
  readIndexManifest,
} from './index-files.js';
import { checkOptionalChoice } from './options/check-option-values.js';
import { checkOptionsObject } from './options/check-options-object.js';
import { type SavedEmbeddingModel, VectorRetriever, type VectorState } from './vector-retriever.js';

/** Options of the `load*Retriever` functions. */
export type LoadEmbeddedRetrieverOptions = {
  /**
   * The embedding model for vector and hybrid indexes; it must have the dimensions the index was
   * built with. When absent, the `provider:model` reference saved in the index is resolved with
   * `resolveEmbeddingModel`.
   */
  embeddingModel?: EmbeddingModelV1;
  /**
   * Turns the saved `provider:model` reference into a model when `embeddingModel` is absent.
   * @default the registry's `resolveEmbeddingModel`
   */
  resolveEmbeddingModel?: (ref: string) => EmbeddingModelV1 | PromiseLike<EmbeddingModelV1>;
};

/** Checks the load options' names, the model's shape and the index kind asked for. */
function checkLoadOptions(options: unknown, what: string, allowKind: boolean): void {
  const checked = checkOptionsObject(
    options,
    allowKind
      ? ['embeddingModel', 'resolveEmbeddingModel', 'kind']
      : ['embeddingModel', 'resolveEmbeddingModel'],
    what,
    'options',
  );
  const model = checked['embeddingModel'] as { doEmbed?: unknown } | null | undefined;
  if (
    model !== undefined &&
    (typeof model !== 'object' || model === null || typeof model.doEmbed !== 'function')
  ) {
    throw new InvalidArgumentError({
      argument: 'embeddingModel',
      message: 'must be an EmbeddingModelV1.',
    });
  }
  if (
    checked['resolveEmbeddingModel'] !== undefined &&
    typeof checked['resolveEmbeddingModel'] !== 'function'
  ) {
    throw new InvalidArgumentError({
      argument: 'resolveEmbeddingModel',
      message: 'must be a function from a provider:model reference to an embedding model.',
    });
  }
  checkOptionalChoice(checked['kind'], 'kind', ['bm25', 'vector', 'hybrid']);
}

async function embeddingModelFor(
  saved: SavedEmbeddingModel,
  options: LoadEmbeddedRetrieverOptions,
): Promise<EmbeddingModelV1> {
  if (options.embeddingModel !== undefined) return options.embeddingModel;
  const resolve = options.resolveEmbeddingModel ?? ((ref: string) => resolveEmbeddingModel(ref));
  try {
    return await resolve(saved.ref);
  } catch (error) {
    throw new InvalidArgumentError({
      argument: 'embeddingModel',
      message: `this index was built with '${saved.ref}' (${saved.dimensions} dimensions), which could not be resolved (${error instanceof Error ? error.message : String(error)}); pass the model as 'embeddingModel'.`,
      cause: error,
    });
  }
}

/**
 * Loads a vector index saved by `VectorRetriever.save`.
 *
 * @throws {IndexFormatError} when the directory holds no index, another kind, another format
 *   version, or a truncated or damaged file
 */
export async function loadVectorRetriever(
  directory: string,
  options: LoadEmbeddedRetrieverOptions = {},
): Promise<VectorRetriever> {
  checkLoadOptions(options, 'loadVectorRetriever()', false);
  return (await build(
    directory,
    await readIndexManifest(directory, ['vector']),
    options,
  )) as VectorRetriever;
}

/**
 * Loads a hybrid index saved by `HybridRetriever.save`.
 *
 * @throws {IndexFormatError} as {@link loadVectorRetriever}
 */
export async function loadHybridRetriever(
  directory: string,
  options: LoadEmbeddedRetrieverOptions = {},
): Promise<HybridRetriever> {
  checkLoadOptions(options, 'loadHybridRetriever()', false);
  return (await build(
    directory,
    await readIndexManifest(directory, ['hybrid']),
    options,
  )) as HybridRetriever;
}

function savedModelOf(state: VectorState | undefined): SavedEmbeddingModel {
  const saved = state?.embeddingModel;
  if (typeof saved?.ref !== 'string' || typeof saved.dimensions !== 'number') {
    throw new TypeError('The manifest does not record the embedding model.');
  }
  return saved;
}

async function build(
  directory: string,
  manifest: IndexManifest,
  options: LoadEmbeddedRetrieverOptions,
): Promise<AnyEmbeddedRetriever> {
  const { kind, state } = manifest;
  if (kind === 'bm25') {
    const loaded = await readIndexData(directory, manifest);
    return rethrowAsCorrupt(directory, () => Bm25Retriever.fromLoaded(loaded, state, ''));
  }
  const vectorState = kind === 'vector' ? state : (state as { vector?: unknown } | null)?.vector;
  const saved = rethrowAsCorrupt(directory, () => savedModelOf(vectorState as VectorState));
  const model = await embeddingModelFor(saved, options);
  if (model.dimensions !== saved.dimensions) {
    throw new InvalidArgumentError({
      argument: 'embeddingModel',
      message: `has ${model.dimensions} dimensions, but the index was built with ${saved.dimensions} ('${saved.ref}').`,
    });
  }
  const prefix = kind === 'vector' ? '' : 'vector.';
  const prepared = rethrowAsCorrupt(directory, () =>
    VectorRetriever.prepareLoad(manifest, vectorState, prefix, model),
  );
  const loaded = await readIndexData(directory, manifest, prepared.targets);
  return rethrowAsCorrupt(directory, () =>
    kind === 'vector'
      ? VectorRetriever.fromLoaded(loaded, state, '', prepared.retriever)
      : HybridRetriever.fromLoaded(loaded, prepared.retriever),
  );
}

/** An embedded retriever of any kind, as {@link loadEmbeddedRetriever} returns it. */
export type AnyEmbeddedRetriever = Bm25Retriever | VectorRetriever | HybridRetriever;

/**
 * Loads an embedded index of the given kind — or of whatever kind the directory holds when
 * `kind` is absent — from a directory written by a retriever's `save`.
 *
 * @throws {IndexFormatError} `wrong-kind` when the directory holds another kind than `kind`, and
 *   as {@link loadVectorRetriever} otherwise
 */
export async function loadEmbeddedRetriever(
  directory: string,
  options: LoadEmbeddedRetrieverOptions & { kind?: EmbeddedIndexKind } = {},
): Promise<AnyEmbeddedRetriever> {
  checkLoadOptions(options, 'loadEmbeddedRetriever()', true);
  const kinds: EmbeddedIndexKind[] =
    options.kind === undefined ? ['bm25', 'vector', 'hybrid'] : [options.kind];
  return build(directory, await readIndexManifest(directory, kinds), options);
}
