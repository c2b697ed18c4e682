/**
 * Pair truncation, on the bare sequences (before special tokens are added).
 *
 * `longest_first` follows the Rust `tokenizers` crate (what sentence-transformers, TEI and every
 * fast HF tokenizer run): each sequence is first cut to the whole limit (the crate does this
 * before pairing them); then, if both fit, nothing is cut; if the shorter sequence fits in half
 * the budget, only the longer one is cut to fill the rest; otherwise both are cut to half the
 * budget, the longer one getting the odd token — the second one when both reached the limit and
 * so tie. Checked against tokenizers 0.23.2 on every length pair up to 49 × 49 at limits 17, 18,
 * 32 and 33, BERT and XLM-R templates (scratch script, see the issue 5 notes).
 * @see https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/utils/truncation.rs
 *
 * `only_second` follows FlagEmbedding's FlagReranker: the query is first capped at
 * `queryMaxTokens`, then only the document is cut so the pair fits.
 */

/** Which side of a pair gives up tokens when it is too long. */
export type TruncationStrategy = 'longest_first' | 'only_second';

/** The limits one pair is cut to. */
export type PairTruncation = {
  /** The longest sequence, special tokens included. */
  maxLength: number;
  /** Special tokens the pair template adds (3 for BERT, 4 for XLM-R). */
  specialTokens: number;
  strategy: TruncationStrategy;
  /** Query cap for `only_second`. */
  queryMaxTokens?: number | undefined;
};

/**
 * The lengths to keep of a (first, second) pair so that `first + second ≤ budget`, where
 * `budget` is `maxLength` minus the pair's special tokens.
 */
export function truncatePairLengths(
  firstLength: number,
  secondLength: number,
  limits: PairTruncation,
): [number, number] {
  const { strategy, queryMaxTokens } = limits;
  // A limit below the special tokens leaves no room for text (a negative length would slice from
  // the end instead of cutting).
  const budget = Math.max(0, limits.maxLength - limits.specialTokens);
  if (strategy === 'only_second') {
    // At least one document token must survive, so the query may not take the whole budget.
    const first = Math.min(firstLength, queryMaxTokens ?? firstLength, Math.max(budget - 1, 0));
    return [first, Math.max(0, Math.min(secondLength, budget - first))];
  }
  if (firstLength + secondLength <= budget) return [firstLength, secondLength];
  // The crate cuts each sequence to the whole limit before pairing them; it matters only when
  // both reach it (they then tie, and the tie gives the odd token to the second sequence).
  const first = Math.min(firstLength, limits.maxLength);
  const second = Math.min(secondLength, limits.maxLength);
  const swapped = first > second;
  let shorter = swapped ? second : first;
  let longer: number;
  if (shorter > budget) {
    longer = shorter;
  } else {
    longer = Math.max(shorter, budget - shorter);
  }
  if (shorter + longer > budget) {
    shorter = Math.floor(budget / 2);
    longer = shorter + (budget % 2);
  }
  const keptShorter = Math.min(shorter, swapped ? second : first);
  const keptLonger = Math.min(longer, swapped ? first : second);
  return swapped ? [keptLonger, keptShorter] : [keptShorter, keptLonger];
}
