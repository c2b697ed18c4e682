import { pathToFileURL } from 'node:url';
import { ProviderNotFoundError } from '../errors/provider-not-found-error.js';
import { installCommand } from './install-command.js';
import { locateProvider, providerAliases } from './provider-aliases.js';
import type { ProviderModuleV1 } from './provider-module-v1.js';
import { findRegisteredProvider } from './register-provider.js';
import { resolvePackageEntry } from './resolve-package-entry.js';

/** The package that provides `provider`: `@twostage/provider-<name>`, or an alias's package. */
export function providerPackageName(provider: string): string {
  return locateProvider(provider).packageName;
}

/**
 * Finds the provider module for `provider`: one registered with `registerProvider`, else core's
 * own `mock`, else the provider export of its package (`twostageProvider` of
 * `@twostage/provider-<name>`, or the export an alias names, such as `bm25Provider` of
 * `@twostage/embedded`), resolved from the application's root (`cwd`) first, then by a plain
 * `import()` (which works when the package is hoisted or declared as an optional peer of core).
 *
 * @throws ProviderNotFoundError when no such package is installed (naming the package to
 *   install), or when the package does not export a `twostageProvider` object
 */
export async function loadProvider(
  provider: string,
  { cwd }: { cwd: string },
): Promise<ProviderModuleV1> {
  const registered = findRegisteredProvider(provider);
  if (registered !== undefined) return registered;
  if (provider === 'mock') return (await import('./mock-provider.js')).mockProvider;

  const { packageName, exportName } = locateProvider(provider);
  const module = (await importProviderPackage(provider, packageName, cwd)) as Record<
    string,
    unknown
  >;
  const providerModule = module[exportName];
  if (providerModule === null || typeof providerModule !== 'object') {
    throw new ProviderNotFoundError({
      provider,
      packageName,
      message: `Package '${packageName}' is installed but does not export a '${exportName}' object, so it is not a twostage provider (or it is too old).`,
    });
  }
  return providerModule as ProviderModuleV1;
}

async function importProviderPackage(
  provider: string,
  packageName: string,
  cwd: string,
): Promise<unknown> {
  const entry = resolvePackageEntry(packageName, cwd);
  if (entry !== undefined) return import(pathToFileURL(entry).href);
  try {
    return await import(packageName);
  } catch (error) {
    // Only "this very package is missing" becomes ProviderNotFoundError; a provider that fails to
    // load (a missing dependency of its own, a syntax error) surfaces as it is.
    if (!isModuleNotFound(error, packageName)) throw error;
    const known = ['mock', ...Object.keys(providerAliases)].join(', ');
    throw new ProviderNotFoundError({
      provider,
      packageName,
      message: `Unknown provider '${provider}': package '${packageName}' is not installed. Install it (${installCommand(packageName, cwd)}) or use a provider that needs no account (${known}; all but mock come with @twostage/embedded).`,
      cause: error,
    });
  }
}

/**
 * Whether `error` says that `packageName` itself cannot be found. The name must be the one quoted
 * as missing: "Cannot find package 'onnxruntime-node' imported from
 * .../@twostage/provider-local-onnx/dist/index.js" names the provider too, but there the provider
 * is installed and one of its own dependencies is missing, which the user must see as it is.
 */
export function isModuleNotFound(error: unknown, packageName: string): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return false;
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /cannot find (package|module)|failed to (load|resolve)/i.test(message);
  const quoted = [`'${packageName}'`, `"${packageName}"`, `url ${packageName} `];
  return notFound && quoted.some((form) => message.includes(form));
}
