import { InvalidArgumentError } from '@twostage/core';
import { checkOptionalNumber } from './check-option-values.js';
import { checkOptionsObject } from './check-options-object.js';

const what = 'createVectorRetriever()';

/** Every option name of `createVectorRetriever`. */
const vectorOptionNames = [
  'embeddingModel',
  'embeddingModelRef',
  'metric',
  'index',
  'approximateThreshold',
  'approximate',
  'maxRetries',
  'maxConcurrency',
] as const;

/** Every option name of `IvfSettings`. */
const ivfOptionNames = ['lists', 'probes', 'targetRecall'] as const;

/**
 * Checks the names and the numeric values of `createVectorRetriever`'s options, for callers
 * without a type checker (the constructor checks the model, `metric` and `index` itself):
 * a misspelt `maxConcurency` or `approximate: { prob: 8 }` would otherwise be ignored, and a
 * `lists: 0` would fail deep inside k-means.
 *
 * @throws InvalidArgumentError naming the option
 */
export function checkVectorRetrieverOptions(options: unknown): void {
  if (options === undefined) {
    throw new InvalidArgumentError({
      argument: 'options',
      message: 'must be an object with an embeddingModel.',
    });
  }
  const checked = checkOptionsObject(options, vectorOptionNames, what, 'options');
  const ref = checked['embeddingModelRef'];
  if (ref !== undefined && (typeof ref !== 'string' || ref.trim() === '')) {
    throw new InvalidArgumentError({
      argument: 'embeddingModelRef',
      message: `must be a model reference ('provider:model', or a provider alone), got ${typeof ref === 'string' ? `'${ref}'` : typeof ref}.`,
    });
  }
  checkOptionalNumber(checked['approximateThreshold'], 'approximateThreshold', {
    min: 1,
    integer: true,
  });
  checkOptionalNumber(checked['maxRetries'], 'maxRetries', { min: 0, max: 100, integer: true });
  if (checked['maxConcurrency'] !== Number.POSITIVE_INFINITY) {
    checkOptionalNumber(checked['maxConcurrency'], 'maxConcurrency', { min: 1, integer: true });
  }
  const ivf = checkOptionsObject(checked['approximate'], ivfOptionNames, what, 'approximate');
  checkOptionalNumber(ivf['lists'], 'approximate.lists', { min: 1, integer: true });
  checkOptionalNumber(ivf['probes'], 'approximate.probes', { min: 1, integer: true });
  checkOptionalNumber(ivf['targetRecall'], 'approximate.targetRecall', { min: 0, max: 1 });
}
