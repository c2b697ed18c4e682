import {
  InvalidArgumentError,
  type ProviderModuleV1,
  type ResolveOptions,
  type RetrieveStageV1,
  resolveEmbeddingModel,
} from '@twostage/core';
import type { EmbeddedIndexKind } from './index-files.js';
import {
  type LoadEmbeddedRetrieverOptions,
  loadEmbeddedRetriever,
} from './load-embedded-retriever.js';

/**
 * A provider module whose `retriever(directory)` loads the embedded index saved in that
 * directory. Vector and hybrid indexes embed queries with `options.embeddingModel`, else with the
 * model whose `provider:model` reference the index recorded, resolved through the registry (with
 * the same `settings` and `cwd`).
 */
export type EmbeddedProviderModule = ProviderModuleV1 & {
  retriever(modelId: string | undefined, options?: ResolveOptions): Promise<RetrieveStageV1>;
};

function providerFor(kind: EmbeddedIndexKind | undefined): EmbeddedProviderModule {
  return {
    async retriever(modelId, options = {}) {
      if (modelId === undefined && kind !== undefined) {
        // A bare `bm25` reference: the registry passes no directory, and '.' would be a guess.
        throw new InvalidArgumentError({
          argument: 'ref',
          message: `'${kind}' needs the directory of a saved index: '${kind}:./path/to/index' (or use 'memory' / 'memory:./corpus.jsonl' for an index built in this process).`,
        });
      }
      const loadOptions: LoadEmbeddedRetrieverOptions & { kind?: EmbeddedIndexKind } = {
        resolveEmbeddingModel: (ref) => {
          const resolveOptions: ResolveOptions = {};
          if (options.settings !== undefined) resolveOptions.settings = options.settings;
          if (options.cwd !== undefined) resolveOptions.cwd = options.cwd;
          return resolveEmbeddingModel(ref, resolveOptions);
        },
      };
      if (kind !== undefined) loadOptions.kind = kind;
      if (options.embeddingModel !== undefined) loadOptions.embeddingModel = options.embeddingModel;
      return loadEmbeddedRetriever(modelId ?? '.', loadOptions);
    },
  };
}

/** Loads any saved embedded index (`bm25`, `vector` or `hybrid`, read from its manifest). */
export const embeddedProvider: EmbeddedProviderModule = providerFor(undefined);
/** Loads a saved BM25 index: the provider behind refs `bm25:<directory>`. */
export const bm25Provider: EmbeddedProviderModule = providerFor('bm25');
/** Loads a saved vector index: the provider behind refs `vector:<directory>`. */
export const vectorProvider: EmbeddedProviderModule = providerFor('vector');
/** Loads a saved hybrid index: the provider behind refs `hybrid:<directory>`. */
export const hybridProvider: EmbeddedProviderModule = providerFor('hybrid');
