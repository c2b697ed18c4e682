import type { NormalizeTextOptions } from './normalize-text.js';

/** Options of `tokenize` and `createTextAnalyzer`; stored with a saved index. */
export type TextAnalyzerOptions = NormalizeTextOptions & {
  /**
   * Words to drop after normalisation: `'english'` for `englishStopWords`, a list of your
   * own (normalised the same way), or `false` to keep every word.
   * @default false
   */
  stopWords?: 'english' | readonly string[] | false;
  /**
   * Tokens shorter than this many characters (after normalisation) are dropped.
   * @default 1
   */
  minTokenLength?: number;
};
