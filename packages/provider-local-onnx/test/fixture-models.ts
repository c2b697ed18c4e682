import { fileURLToPath } from 'node:url';

/** Absolute path of a committed synthetic model (see scripts/fixture-specs.ts). */
export function fixtureModel(
  name:
    | 'bert-cross-encoder'
    | 'xlm-roberta-cross-encoder'
    | 'bert-cross-encoder-two-labels'
    | 'bert-bi-encoder'
    | 'xlm-roberta-bi-encoder',
): string {
  return fileURLToPath(new URL(`./fixtures/models/${name}`, import.meta.url));
}

/** Texts of mixed length and script used across the tests (English, Vietnamese, emoji). */
export const sampleQuery = 'what is the bank loan rate';

export const sampleDocuments = [
  'the bank loan rate is 5 percent for a new customer',
  'cat sat on the mat',
  'mobile app password reset 😀 🏦',
  'Lãi suất tiết kiệm kỳ hạn 12 tháng của ngân hàng là bao nhiêu?',
  'fraud report: lost card, stolen card, call the branch within 24 hours',
  'annual fee of the credit card is waived in the first year when you pay monthly',
  'weather',
  'deposit savings account interest rate monthly payment and transfer limit for online banking customers who open an account at a branch',
  'Chuyển tiền ra nước ngoài mất từ một đến ba ngày làm việc 💳',
  'the the the the the the the the',
  'rain, sun; city & river — a book to read!',
  'Thẻ bị mất phải được báo ngay qua ứng dụng',
];
