import { InvalidArgumentError } from '@twostage/core';
import { checkOptionalBoolean, checkOptionalNumber } from '../options/check-option-values.js';
import { checkOptionsObject } from '../options/check-options-object.js';
import type { TextAnalyzerOptions } from './text-analyzer-options.js';

/** Every option name of {@link TextAnalyzerOptions}. */
const analyzerOptionNames = ['caseFold', 'foldDiacritics', 'stopWords', 'minTokenLength'] as const;

/**
 * Checks text-analyzer options given without a type checker: unknown names (`foldDiacritic`),
 * a `stopWords` that is neither `'english'`, `false` nor a list of strings, a
 * `minTokenLength` that is not a positive integer.
 *
 * @param value - the options (may be `undefined`)
 * @param what - the call, for the message
 * @param path - where the options sit (`analyzer`)
 * @throws InvalidArgumentError naming the option
 */
export function checkAnalyzerOptions(
  value: unknown,
  what: string,
  path: string,
): TextAnalyzerOptions {
  const options = checkOptionsObject(value, analyzerOptionNames, what, path);
  checkOptionalBoolean(options['caseFold'], `${path}.caseFold`);
  checkOptionalBoolean(options['foldDiacritics'], `${path}.foldDiacritics`);
  checkOptionalNumber(options['minTokenLength'], `${path}.minTokenLength`, {
    min: 1,
    integer: true,
  });
  const stopWords = options['stopWords'];
  if (
    stopWords !== undefined &&
    stopWords !== false &&
    stopWords !== 'english' &&
    !(Array.isArray(stopWords) && stopWords.every((word) => typeof word === 'string'))
  ) {
    throw new InvalidArgumentError({
      argument: `${path}.stopWords`,
      message: `must be 'english', false or a list of strings, got ${Array.isArray(stopWords) ? 'a list with a non-string' : typeof stopWords === 'string' ? `'${stopWords}'` : String(stopWords)}.`,
    });
  }
  return options as TextAnalyzerOptions;
}
