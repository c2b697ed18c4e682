import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ProviderModuleV1, ResolveOptions } from './provider-module-v1.js';

/**
 * The providers that ship with core, loaded lazily so that importing core pulls none of them in:
 * - `mock`: the deterministic mocks of `@twostage/core/testing`;
 * - `bm25`, `vector`, `hybrid`: the embedded retrievers; the model is the directory of a saved
 *   index (`bm25:./data/index`);
 * - `memory`: an in-process index that is never saved, empty (`memory`) or loaded from a JSON
 *   Lines corpus (`memory:./corpus.jsonl`).
 */
export const builtinProviders: Readonly<Record<string, () => Promise<ProviderModuleV1>>> = {
  mock: async () => (await import('./mock-provider.js')).mockProvider,
  memory: async () => (await import('../embedded/memory-provider.js')).memoryProvider,
  bm25: async () =>
    requireIndexDirectory('bm25', (await import('../embedded/embedded-provider.js')).bm25Provider),
  vector: async () =>
    requireIndexDirectory(
      'vector',
      (await import('../embedded/embedded-provider.js')).vectorProvider,
    ),
  hybrid: async () =>
    requireIndexDirectory(
      'hybrid',
      (await import('../embedded/embedded-provider.js')).hybridProvider,
    ),
};

/** Wraps an embedded provider so that a bare `bm25` reference fails with a clear message. */
function requireIndexDirectory(
  name: string,
  provider: {
    retriever(
      modelId: string,
      options: ResolveOptions,
    ): ReturnType<NonNullable<ProviderModuleV1['retriever']>>;
  },
): ProviderModuleV1 {
  return {
    retriever(modelId, options) {
      if (modelId === undefined) {
        throw new InvalidArgumentError({
          argument: 'ref',
          message: `'${name}' needs the directory of a saved index: '${name}:./path/to/index' (or use 'memory' / 'memory:./corpus.jsonl' for an index built in this process).`,
        });
      }
      return provider.retriever(modelId, options);
    },
  };
}
