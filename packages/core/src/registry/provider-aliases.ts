/**
 * Where a provider reference's package and export are found, when they are not the default
 * (`@twostage/provider-<name>`, export `twostageProvider`).
 */
export type ProviderLocation = {
  /** The npm package that holds the provider module. */
  readonly packageName: string;
  /** The name of the export that is the provider module (a `ProviderModuleV1`). */
  readonly exportName: string;
};

/**
 * Provider names served by packages that are not named `@twostage/provider-<name>`: the embedded
 * engine's four. A table of names, not imports, so core never depends on the engine: the package
 * is imported at resolve time, like any provider, and a missing one gets the same install error.
 * - `bm25`, `vector`, `hybrid`: a saved embedded index (`bm25:./data/index`);
 * - `memory`: an in-process index that is never saved, empty (`memory`) or loaded from a JSON
 *   Lines corpus (`memory:./corpus.jsonl`).
 */
export const providerAliases: Readonly<Record<string, ProviderLocation>> = {
  bm25: { packageName: '@twostage/embedded', exportName: 'bm25Provider' },
  vector: { packageName: '@twostage/embedded', exportName: 'vectorProvider' },
  hybrid: { packageName: '@twostage/embedded', exportName: 'hybridProvider' },
  memory: { packageName: '@twostage/embedded', exportName: 'memoryProvider' },
};

/** The package and export that serve `provider`. */
export function locateProvider(provider: string): ProviderLocation {
  // Own keys only: `constructor` (a valid provider name) must not find Object.prototype's.
  if (Object.hasOwn(providerAliases, provider))
    return providerAliases[provider] as ProviderLocation;
  return { packageName: `@twostage/provider-${provider}`, exportName: 'twostageProvider' };
}
