import { vietnameseNfc } from '../helpers/texts.js';

/** Short passages embedded by most checks, English and Vietnamese. */
export const embeddingTexts: readonly string[] = [
  'Repaying a home loan early costs an early repayment fee of 2% of the outstanding principal.',
  'Branches are open from 8 am to 5 pm on weekdays.',
  vietnameseNfc,
  'The credit card annual fee is waived in the first year.',
];
