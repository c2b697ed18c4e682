/**
 * Han, Hiragana and Katakana characters: scripts written without spaces, so each character is
 * one token (a character-unigram model, crude but language-neutral).
 */
const ideograph = String.raw`\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}`;

/**
 * A token: one ideograph, one pictographic emoji, or a run of letters, digits and combining
 * marks that contains no ideograph.
 */
const tokenPattern = new RegExp(
  `${ideograph}|\\p{Extended_Pictographic}|(?:(?!${ideograph})[\\p{L}\\p{N}\\p{M}])+`,
  'gu',
);

/**
 * Splits a text into lowercase tokens, Unicode-aware: the text is NFKC-normalised first (so the
 * NFC and NFD spellings of Vietnamese words, full-width letters and ligatures give the same
 * tokens), diacritics are kept (in Vietnamese `ma`, `má` and `mả` are different words), and
 * scripts without spaces fall back to one token per character.
 *
 * @example termTokens('Lãi suất 5%/năm 🙂') // ['lãi', 'suất', '5', 'năm', '🙂']
 */
export function termTokens(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(tokenPattern) ?? [];
}
