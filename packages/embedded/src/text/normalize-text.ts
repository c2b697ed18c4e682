/** Options of {@link normalizeText}. */
export type NormalizeTextOptions = {
  /**
   * Fold letters to lower case (Unicode-aware, locale-independent).
   * @default true
   */
  caseFold?: boolean;
  /**
   * Remove diacritics: `tiếng Việt` → `tieng viet`, `café` → `cafe`, and the letters that carry a
   * stroke rather than a combining mark (`đ`/`Đ` → `d`, `ø` → `o`, `ł` → `l`, `ß` → `ss`).
   * Off by default, since in Vietnamese the marks distinguish words (`bán` sell, `bạn` friend).
   * @default false
   */
  foldDiacritics?: boolean;
};

/**
 * Letters whose accent is part of the glyph rather than a combining mark, so NFD leaves them
 * alone; folded by hand when diacritics are folded. `đ` matters most: Vietnamese users often type
 * `d` for it.
 */
const strokedLetters: Readonly<Record<string, string>> = {
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  ħ: 'h',
  Ħ: 'H',
  ŧ: 't',
  Ŧ: 'T',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ı: 'i',
};
const strokedPattern = /[đĐðÐøØłŁħĦŧŦßæÆœŒı]/g;
const combiningMarks = /\p{M}+/gu;

/**
 * Normalises text so that equal-looking strings compare equal: Unicode NFC (so precomposed and
 * decomposed input — NFC and NFD — give the same result), then case folding, then optional
 * diacritics folding.
 *
 * @example normalizeText('Tiếng VIỆT') // 'tiếng việt'
 * @example normalizeText('Đường', { foldDiacritics: true }) // 'duong'
 */
export function normalizeText(text: string, options: NormalizeTextOptions = {}): string {
  let result = text.normalize('NFC');
  if (options.caseFold ?? true) result = result.toLowerCase();
  if (options.foldDiacritics === true) {
    result = result
      .normalize('NFD')
      .replace(combiningMarks, '')
      .replace(strokedPattern, (letter) => strokedLetters[letter] ?? letter)
      .normalize('NFC');
  }
  return result;
}
