/** Deterministic texts for the GPU check: mixed lengths, Vietnamese with diacritics, emoji, CJK. */

const words = [
  'interest',
  'rate',
  'savings',
  'account',
  'loan',
  'mortgage',
  'policy',
  'the',
  'bank',
  'fee',
  'overdraft',
  'transfer',
  'international',
  'card',
  'credit',
  'debit',
  'branch',
  'online',
  'customer',
  'refund',
  'lãi suất',
  'tiết kiệm',
  'tài khoản',
  'ngân hàng',
  'khoản vay',
  'thẻ tín dụng',
  'chuyển khoản',
  'phí',
  'Hà Nội',
  'Thành phố Hồ Chí Minh',
  'Zürich',
  'naïve',
  'café',
  '銀行',
  '利率',
  '💳',
  '🏦',
  '😀',
  'COVID-19',
  '3.5%',
  'e-mail',
  "don't",
  'U.S.A.',
  'well-known',
];

/** A small linear congruential generator, so every run builds the same texts. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function sentence(random: () => number, length: number): string {
  const parts: string[] = [];
  for (let index = 0; index < length; index += 1) {
    parts.push(words[Math.floor(random() * words.length)] as string);
  }
  return parts.join(random() < 0.2 ? '  ' : ' ');
}

/** Hand-written edge cases: diacritics (NFC and NFD), emoji, CJK, punctuation, whitespace. */
export const edgeDocuments = [
  'Lãi suất tiết kiệm kỳ hạn 12 tháng tại ngân hàng là 5,5%/năm 🏦',
  'Phí chuyển khoản quốc tế: 0,2% (tối thiểu 5 USD) — áp dụng từ 01/01/2026.',
  'Thẻ tín dụng bị khóa? Gọi tổng đài 1900 1234 ngay 📞😀',
  'Cafe\u0301 na\u0131\u0308ve resume\u0301 (NFD accents)',
  'Café naïve résumé (NFC accents)',
  '銀行の利率は年2%です。Ngân hàng Nhà nước Việt Nam 🇻🇳',
  'The overdraft fee is $35 per item; max 3 items/day.',
  'A',
  '   leading and trailing spaces   ',
  'UPPER lower MiXeD CaSe 123 456,789.00',
  'emoji only 👍🏽👨‍👩‍👧‍👦✨',
  'tab\tseparated\tand\nnew\nlines',
];

/** Queries: short, medium and long (the long ones make `longest_first` cut both sides). */
export function makeQueries(count: number, seed = 7): string[] {
  const random = makeRandom(seed);
  const fixed = [
    'lãi suất tiết kiệm 12 tháng là bao nhiêu?',
    'what is the overdraft fee 💳',
    'Phí chuyển khoản quốc tế',
  ];
  const queries = [...fixed];
  while (queries.length < count) {
    const length =
      queries.length % 2 === 0 ? 4 + Math.floor(random() * 6) : 30 + Math.floor(random() * 40);
    queries.push(sentence(random, length));
  }
  return queries.slice(0, count);
}

/** Documents of mixed lengths: the edge cases, then random ones from 3 to 300 words. */
export function makeDocuments(count: number, seed = 11): string[] {
  const random = makeRandom(seed);
  const documents = [...edgeDocuments];
  const lengths = [3, 10, 25, 60, 120, 300];
  while (documents.length < count) {
    const length = lengths[documents.length % lengths.length] as number;
    documents.push(sentence(random, length + Math.floor(random() * 5)));
  }
  return documents.slice(0, count);
}
