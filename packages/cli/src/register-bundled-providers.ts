import { type ProviderModelKind, type ProviderModuleV1, registerProvider } from '@twostage/core';

/**
 * The providers the CLI ships as dependencies, and the kinds each offers. Core finds a provider
 * package from the application's root or from its own location; a CLI installed globally, or run
 * from a directory that is not a Node project, is neither, so its own copies are registered.
 */
const bundledProviders: Record<
  string,
  { kinds: ProviderModelKind[]; load: () => Promise<unknown> }
> = {
  cohere: {
    kinds: ['reranker', 'embeddingModel'],
    load: () => import('@twostage/provider-cohere'),
  },
  pinecone: {
    kinds: ['reranker', 'retriever', 'embeddingModel'],
    load: () => import('@twostage/provider-pinecone'),
  },
  'local-onnx': {
    kinds: ['reranker', 'embeddingModel'],
    load: () => import('@twostage/provider-local-onnx'),
  },
};

let registered = false;

/**
 * Registers the CLI's bundled providers with core's registry, each loaded only when a reference
 * first names it (so `twostage --help` never loads onnxruntime). Idempotent.
 */
export function registerBundledProviders(): void {
  if (registered) return;
  registered = true;
  for (const [name, { kinds, load }] of Object.entries(bundledProviders)) {
    const module: ProviderModuleV1 = {};
    for (const kind of kinds) {
      // Each factory imports the package on first use and hands over to its own entry point.
      (module as Record<string, unknown>)[kind] = async (
        modelId: string | undefined,
        options: Parameters<NonNullable<ProviderModuleV1['reranker']>>[1],
      ) => {
        const loaded = (await load()) as { twostageProvider: Record<string, unknown> };
        const factory = loaded.twostageProvider[kind] as (
          modelId: string | undefined,
          options: unknown,
        ) => unknown;
        return factory.call(loaded.twostageProvider, modelId, options);
      };
    }
    registerProvider(name, module);
  }
}
