import type { Tokenizer } from '@huggingface/tokenizers';
import {
  type SpecialTokenTemplate,
  specialTokenCount,
  type TemplatePiece,
} from './special-token-template.js';
import { type TruncationStrategy, truncatePairLengths } from './truncate-pair.js';

/** One encoded input: ids and type ids of equal length, no padding. */
export type EncodedInput = { ids: number[]; typeIds: number[]; truncated: boolean };

/** How pairs and single texts are cut to the model's limit. */
export type EncoderLimits = {
  /** Longest sequence including special tokens. */
  maxLength: number;
  truncation: TruncationStrategy;
  /** Query cap for `only_second`. */
  queryMaxTokens?: number | undefined;
};

function assemble(
  template: readonly TemplatePiece[],
  first: number[],
  second: number[],
): EncodedInput {
  const ids: number[] = [];
  const typeIds: number[] = [];
  for (const piece of template) {
    const values = piece.kind === 'special' ? piece.ids : piece.sequence === 'A' ? first : second;
    for (const value of values) {
      ids.push(value);
      typeIds.push(piece.typeId);
    }
  }
  return { ids, typeIds, truncated: false };
}

/**
 * Encodes queries, documents and pairs with the model's tokenizer: each text is tokenized bare
 * (as HF tokenizers do for pairs), truncated, then wrapped in the tokenizer's special tokens.
 * Truncating before adding the specials keeps the final `[SEP]` / `</s>`, unlike
 * transformers.js, which cuts the finished sequence.
 */
export class PairEncoder {
  private readonly pairSpecials: number;
  private readonly singleSpecials: number;
  private readonly cache = new Map<string, number[]>();

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly template: SpecialTokenTemplate,
    private readonly limits: EncoderLimits,
  ) {
    this.pairSpecials = specialTokenCount(template.pair);
    this.singleSpecials = specialTokenCount(template.single);
  }

  /** Token ids of a text without special tokens. */
  tokenize(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  /** Encodes a (query, document) pair with the configured truncation. */
  encodePair(queryIds: readonly number[], document: string): EncodedInput {
    const documentIds = this.tokenize(document);
    const [keepFirst, keepSecond] = truncatePairLengths(queryIds.length, documentIds.length, {
      maxLength: this.limits.maxLength,
      specialTokens: this.pairSpecials,
      strategy: this.limits.truncation,
      queryMaxTokens: this.limits.queryMaxTokens,
    });
    const encoded = assemble(
      this.template.pair,
      queryIds.slice(0, keepFirst),
      documentIds.slice(0, keepSecond),
    );
    encoded.truncated = keepFirst < queryIds.length || keepSecond < documentIds.length;
    return encoded;
  }

  /** Encodes one text (bi-encoder input), cut to the model's limit. */
  encodeSingle(text: string): EncodedInput {
    const ids = this.tokenize(text);
    const keep = Math.max(0, this.limits.maxLength - this.singleSpecials);
    const encoded = assemble(this.template.single, ids.slice(0, keep), []);
    encoded.truncated = keep < ids.length;
    return encoded;
  }

  /** Tokens of a query, memoized because every pair of a call repeats it. */
  queryIds(query: string): number[] {
    let ids = this.cache.get(query);
    if (ids === undefined) {
      ids = this.tokenize(query);
      if (this.cache.size > 64) this.cache.clear();
      this.cache.set(query, ids);
    }
    return ids;
  }
}
