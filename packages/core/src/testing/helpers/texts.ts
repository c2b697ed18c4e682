/**
 * Texts the suites send: bank-policy passages in English and Vietnamese (the project's example
 * corpus), plus hard Unicode.
 */

/** A Vietnamese sentence in NFC (precomposed) form. */
export const vietnameseNfc = 'Lãi suất tiết kiệm kỳ hạn 12 tháng là 5,5% mỗi năm.';

/** The same sentence in NFD (decomposed) form: base letters followed by combining marks. */
export const vietnameseNfd = vietnameseNfc.normalize('NFD');

/** A Vietnamese query about the sentence above. */
export const vietnameseQuery = 'lãi suất tiết kiệm 12 tháng';

/** Emoji, including a ZWJ sequence, a flag and a skin-tone modifier. */
export const emojiText = 'Thẻ tín dụng 💳 miễn phí năm đầu 🎉 👨‍👩‍👧 🇻🇳 👍🏽';

/** Chinese and Japanese text (no spaces between words). */
export const cjkText = '信用卡年费在第一年免除。クレジットカードの年会費は初年度無料です。';

/** Mixed scripts: Latin, Cyrillic, Arabic (right to left), Devanagari, a combining accent. */
export const mixedScriptText = 'Fee policy — политика комиссий — سياسة الرسوم — शुल्क नीति — café';

/** Builds a document of about `length` characters from repeated policy sentences. */
export function longDocument(length: number): string {
  const sentence =
    'The bank may charge an early repayment fee of two percent of the outstanding principal. ';
  return sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length);
}
