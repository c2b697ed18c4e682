import type { ConformanceDocument } from '../conformance-document.js';
import { vietnameseNfc } from '../helpers/texts.js';

/**
 * The corpus every retrieve check starts from: bank-policy passages in English and Vietnamese
 * with Pinecone-compatible metadata (strings, numbers, lists of strings).
 */
export const retrieveCorpus: readonly ConformanceDocument[] = [
  {
    id: 'fee-early-repayment',
    text: 'Repaying a home loan early costs an early repayment fee of 2% of the outstanding principal.',
    metadata: { category: 'loan', year: 2021, tags: ['mortgage', 'fees'], language: 'en' },
  },
  {
    id: 'loan-rate-fixed',
    text: 'Fixed-rate mortgages keep the same interest rate for the first five years.',
    metadata: { category: 'loan', year: 2023, tags: ['mortgage', 'rates'], language: 'en' },
  },
  {
    id: 'card-annual-fee',
    text: 'The credit card annual fee is waived in the first year for new holders.',
    metadata: { category: 'card', year: 2022, tags: ['fees'], language: 'en' },
  },
  {
    id: 'card-lost',
    text: 'Lost cards must be reported at once through the app or the hotline.',
    metadata: { category: 'card', year: 2024, tags: ['security'], language: 'en' },
  },
  {
    id: 'branch-hours',
    text: 'Branches are open from 8 am to 5 pm on weekdays and until noon on Saturdays.',
    metadata: { category: 'service', year: 2020, tags: ['branches'], language: 'en' },
  },
  {
    id: 'wire-abroad',
    text: 'Wire transfers abroad take one to three business days to arrive.',
    metadata: { category: 'transfer', year: 2024, tags: ['fees', 'international'], language: 'en' },
  },
  {
    id: 'vi-savings-rate',
    text: vietnameseNfc,
    metadata: { category: 'savings', year: 2024, tags: ['rates'], language: 'vi' },
  },
  {
    id: 'vi-card-fee',
    text: 'Phí thường niên thẻ tín dụng được miễn trong năm đầu tiên.',
    metadata: { category: 'card', year: 2023, tags: ['fees'], language: 'vi' },
  },
  {
    id: 'vi-branch-hours',
    text: 'Chi nhánh mở cửa từ 8 giờ sáng đến 5 giờ chiều các ngày trong tuần.',
    metadata: { category: 'service', year: 2022, tags: ['branches'], language: 'vi' },
  },
  {
    id: 'savings-interest',
    text: 'Savings accounts earn interest monthly, credited on the last business day.',
    metadata: { category: 'savings', year: 2021, tags: ['rates'], language: 'en' },
  },
];

/**
 * A query sharing one rare word with every document of {@link retrieveCorpus}, so that even a
 * lexical retriever returns the whole corpus when `topK` allows: filter and namespace checks can
 * then expect an exact set of ids.
 */
export const matchEveryDocumentQuery =
  'repaying mortgages waived hotline saturdays abroad kiệm thường nhánh credited';

/** A fresh deep copy of the corpus for a factory (which may keep what it receives). */
export function copyCorpus(
  corpus: readonly ConformanceDocument[] = retrieveCorpus,
): ConformanceDocument[] {
  return structuredClone([...corpus]);
}
