/**
 * Pair truncation, on the bare sequences (before special tokens are added).
 *
 * `longest_first` follows the Rust `tokenizers` crate (what sentence-transformers, TEI and every
 * fast HF tokenizer run): if both fit, nothing is cut; if the shorter sequence fits in half the
 * budget, only the longer one is cut to fill the rest; otherwise both are cut to half the budget,
 * the longer one getting the odd token (the second one on a tie). The lengths given are the ones
 * the crate sees: a text longer than the limit counts only up to the end of the word holding the
 * limit's last token (see `earlyCutLength`), so two long texts often tie.
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
  const first = firstLength;
  const second = secondLength;
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
