import { checkAnalyzerOptions } from './check-analyzer-options.js';
import { englishStopWords } from './english-stop-words.js';
import { type NormalizeTextOptions, normalizeText } from './normalize-text.js';
import type { TextAnalyzerOptions } from './text-analyzer-options.js';

export type { TextAnalyzerOptions } from './text-analyzer-options.js';

/**
 * A token is a maximal run of letters, combining marks and digits (`\p{L}\p{M}\p{N}`), so
 * punctuation and spaces split words in every script, and `iPhone-15` gives `iphone`, `15`.
 */
const tokenPattern = /[\p{L}\p{M}\p{N}]+/gu;

/** A function that turns text into index terms. */
export type TextAnalyzer = (text: string) => string[];

/**
 * Builds a text analyzer: {@link normalizeText}, then the `\p{L}\p{M}\p{N}` runs, then stop-word
 * and length filtering. Build it once and reuse it: the stop-word set is prepared here.
 */
export function createTextAnalyzer(options: TextAnalyzerOptions = {}): TextAnalyzer {
  checkAnalyzerOptions(options, 'createTextAnalyzer()', 'options');
  const normalizeOptions: NormalizeTextOptions = {};
  if (options.caseFold !== undefined) normalizeOptions.caseFold = options.caseFold;
  if (options.foldDiacritics !== undefined)
    normalizeOptions.foldDiacritics = options.foldDiacritics;
  const stopWords =
    options.stopWords === 'english'
      ? englishStopWords
      : options.stopWords === undefined || options.stopWords === false
        ? undefined
        : new Set(options.stopWords.map((word) => normalizeText(word, normalizeOptions)));
  const minTokenLength = options.minTokenLength ?? 1;
  return (text) => {
    // One global match returns all tokens as plain strings (no match objects per token).
    const tokens = normalizeText(text, normalizeOptions).match(tokenPattern) ?? [];
    if (stopWords === undefined && minTokenLength <= 1) return tokens;
    return tokens.filter((token) => token.length >= minTokenLength && !stopWords?.has(token));
  };
}

/**
 * Splits text into normalised tokens (see {@link createTextAnalyzer}).
 *
 * @example tokenize('Lãi suất tiết kiệm 12 tháng') // ['lãi', 'suất', 'tiết', 'kiệm', '12', 'tháng']
 */
export function tokenize(text: string, options: TextAnalyzerOptions = {}): string[] {
  return createTextAnalyzer(options)(text);
}
