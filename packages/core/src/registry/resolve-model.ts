import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { loadSetting } from '../settings/load-setting.js';
import { loadProvider } from './load-provider.js';
import { parseModelReference } from './parse-model-reference.js';
import type { ProviderModelKind, ProviderModuleV1, ResolveOptions } from './provider-module-v1.js';

const kindNames: Record<ProviderModelKind, string> = {
  reranker: 'reranker',
  retriever: 'retriever',
  embeddingModel: 'embedding model',
};

/**
 * Resolves a `provider:model` reference (or, without one, the environment variable) to a model
 * of `kind`: parses it, loads the provider, and calls its factory for that kind.
 */
export async function resolveModel<KIND extends ProviderModelKind>(
  kind: KIND,
  environmentVariable: string,
  reference: string | undefined,
  options: ResolveOptions,
): Promise<Awaited<ReturnType<NonNullable<ProviderModuleV1[KIND]>>>> {
  // An explicit reference is parsed as given (a blank one is an error, not a cue to read the
  // environment); only an absent one falls back to the variable.
  const argument = reference === undefined ? environmentVariable : 'ref';
  const text =
    reference ??
    loadSetting({
      value: undefined,
      setting: 'ref',
      environmentVariables: [environmentVariable],
      description: `The ${kindNames[kind]} reference ('provider:model')`,
    });
  const { provider, modelId } = parseModelReference(text, argument);
  const module = await loadProvider(provider, { cwd: options.cwd ?? process.cwd() });
  const factory = module[kind];
  if (typeof factory !== 'function') {
    const offered = (Object.keys(kindNames) as ProviderModelKind[])
      .filter((name) => typeof module[name] === 'function')
      .map((name) => kindNames[name]);
    throw new InvalidArgumentError({
      argument,
      message: `provider '${provider}' offers no ${kindNames[kind]}${offered.length > 0 ? ` (it offers: ${offered.join(', ')})` : ''}.`,
    });
  }
  // Called with the module as `this`, so that class-based provider modules work.
  const model = await (
    factory as (modelId: string | undefined, options: ResolveOptions) => unknown
  ).call(module, modelId, options);
  return model as Awaited<ReturnType<NonNullable<ProviderModuleV1[KIND]>>>;
}
