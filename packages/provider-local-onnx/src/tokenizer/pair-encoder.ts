import {
  type SpecialTokenTemplate,
  specialTokenCount,
  type TemplatePiece,
} from './special-token-template.js';
import { type TruncationStrategy, truncatePairLengths } from './truncate-pair.js';
import { earlyCutLength, type WordStartTest } from './word-start.js';

/**
 * What the encoder uses of a tokenizer; `@huggingface/tokenizers`' `Tokenizer` fits it. Declared
 * here instead of importing that class's type, which would put `@huggingface/tokenizers`' own
 * declarations into this package's `.d.ts`: they use extensionless relative imports, invalid
 * under `moduleResolution: nodenext` (TS2834), and break apps that do not skip library checks.
 */
export type TextTokenizer = {
  /** Tokenizes `text`; with `add_special_tokens: false`, the bare tokens and their ids. */
  encode(
    text: string,
    options: { add_special_tokens: boolean },
  ): { ids: number[]; tokens: string[] };
};

/** A text's token ids (no special tokens) and the length it enters pair truncation with. */
export type TokenizedText = { ids: number[]; pairLength: number };

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
  private readonly cache = new Map<string, TokenizedText>();

  /**
   * @param isWordStart - which tokens start a word (`wordStartTestOf(tokenizer.json)`); it decides
   *   the lengths long texts enter `longest_first` with, as in the Rust crate
   */
  constructor(
    private readonly tokenizer: TextTokenizer,
    private readonly template: SpecialTokenTemplate,
    private readonly limits: EncoderLimits,
    private readonly isWordStart: WordStartTest = () => true,
  ) {
    this.pairSpecials = specialTokenCount(template.pair);
    this.singleSpecials = specialTokenCount(template.single);
  }

  /** Token ids of a text without special tokens, and the length it enters pair truncation with. */
  tokenize(text: string): TokenizedText {
    const { ids, tokens } = this.tokenizer.encode(text, { add_special_tokens: false });
    return { ids, pairLength: earlyCutLength(tokens, this.limits.maxLength, this.isWordStart) };
  }

  /** Encodes a (query, document) pair with the configured truncation. */
  encodePair(query: TokenizedText, document: string): EncodedInput {
    const queryIds = query.ids;
    const tokenized = this.tokenize(document);
    const documentIds = tokenized.ids;
    const longestFirst = this.limits.truncation === 'longest_first';
    const [keepFirst, keepSecond] = truncatePairLengths(
      longestFirst ? query.pairLength : queryIds.length,
      longestFirst ? tokenized.pairLength : documentIds.length,
      {
        maxLength: this.limits.maxLength,
        specialTokens: this.pairSpecials,
        strategy: this.limits.truncation,
        queryMaxTokens: this.limits.queryMaxTokens,
      },
    );
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
    const { ids } = this.tokenize(text);
    const keep = Math.max(0, this.limits.maxLength - this.singleSpecials);
    const encoded = assemble(this.template.single, ids.slice(0, keep), []);
    encoded.truncated = keep < ids.length;
    return encoded;
  }

  /** Tokens of a query, memoized because every pair of a call repeats it. */
  tokenizeQuery(query: string): TokenizedText {
    let tokenized = this.cache.get(query);
    if (tokenized === undefined) {
      tokenized = this.tokenize(query);
      if (this.cache.size > 64) this.cache.clear();
      this.cache.set(query, tokenized);
    }
    return tokenized;
  }
}
