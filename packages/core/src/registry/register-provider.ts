import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ProviderModuleV1 } from './provider-module-v1.js';

const registeredProviders = new Map<string, ProviderModuleV1>();

/**
 * Registers a provider under `name`, ahead of the built-in ones and of package lookup. For
 * bundled applications (where `@twostage/provider-<name>` cannot be imported dynamically), and
 * for tests.
 *
 * @example registerProvider('cohere', (await import('@twostage/provider-cohere')).twostageProvider)
 */
export function registerProvider(name: string, module: ProviderModuleV1): void {
  if (typeof name !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) {
    throw new InvalidArgumentError({
      argument: 'name',
      message: `a provider name is lowercase letters, digits and dashes, got '${String(name)}'.`,
    });
  }
  if (module === null || typeof module !== 'object') {
    throw new InvalidArgumentError({
      argument: 'module',
      message: 'must be a ProviderModuleV1 object.',
    });
  }
  registeredProviders.set(name, module);
}

/** Removes a provider registered with {@link registerProvider}; returns whether there was one. */
export function unregisterProvider(name: string): boolean {
  return registeredProviders.delete(name);
}

/** The provider registered under `name`, if any. */
export function findRegisteredProvider(name: string): ProviderModuleV1 | undefined {
  return registeredProviders.get(name);
}
