import type { WarningV1 } from '../spec/v1/shared-v1.js';

/** A UTF-16 surrogate without its partner: not valid Unicode. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const loneSurrogates = new RegExp(loneSurrogate.source, 'g');

/** Whether `text` holds a lone surrogate (a string cut in the middle of an emoji, say). */
export function hasLoneSurrogate(text: string): boolean {
  return loneSurrogate.test(text);
}

/**
 * `text` with every lone surrogate replaced by U+FFFD, as `String.prototype.toWellFormed` does.
 * Why not refuse: the text usually comes from a chunker or a database that cut a string in the
 * middle of a character, and one bad character should not fail a whole search; but it cannot be
 * passed on as it is, since JSON encoders, tokenizers and HTTP bodies each handle it differently
 * (some throw, some drop it, some send invalid UTF-8). So it is made well-formed, with a warning.
 */
export function toWellFormed(text: string): string {
  return text.replace(loneSurrogates, '\uFFFD');
}

/** The warning that names the inputs whose lone surrogates were replaced. */
export function loneSurrogateWarning(inputs: readonly string[]): WarningV1 {
  const shown =
    inputs.length > 10 ? [...inputs.slice(0, 10), `… (${inputs.length} in all)`] : inputs;
  return {
    type: 'other',
    message: `${shown.join(', ')} held lone UTF-16 surrogates (not valid Unicode); each was replaced by U+FFFD before the stage saw it (your inputs are unchanged).`,
  };
}
