import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  InvalidArgumentError,
  type LongDocumentWindowsV1Options,
  type TextSpanV1,
} from '@twostage/core';
import { planTextWindows, resolveWindowOverlap } from '@twostage/core/provider-utils';
import { PairEncoder } from './pair-encoder.js';
import { specialTokenCount, specialTokenTemplateOf } from './special-token-template.js';
import { type TruncationStrategy, truncatePairLengths } from './truncate-pair.js';
import { wordStartTestOf } from './word-start.js';

/** The limits the model's runner encodes pairs with (see `ModelRunner.load`). */
export type TokenWindowLimits = {
  /** The model's longest sequence, special tokens included (`RunnerInfo.maxLength`). */
  maxLength: number;
  truncation: TruncationStrategy;
  /** Query cap for `only_second`; ¾ of `maxLength` when undefined, as the runner does. */
  queryMaxTokens: number | undefined;
};

/**
 * Plans token windows of long documents with the model's own tokenizer, so each window, scored
 * alone beside the query, is encoded without truncation: for core's `chunk-max`.
 *
 * It runs on the calling thread with a second copy of the tokenizer (the runner's lives in its
 * worker and encodes only whole pairs); tokenizing is cheap next to inference, and this copy is
 * built only when `chunk-max` is asked for.
 */
export class TokenWindowPlanner {
  private constructor(
    private readonly encoder: PairEncoder,
    private readonly pairSpecials: number,
    private readonly limits: TokenWindowLimits & { queryMaxTokens: number },
  ) {}

  /** Reads `tokenizer.json` and `tokenizer_config.json` of a loaded model directory. */
  static async load(directory: string, limits: TokenWindowLimits): Promise<TokenWindowPlanner> {
    const [tokenizerJson, tokenizerConfig] = await Promise.all(
      ['tokenizer.json', 'tokenizer_config.json'].map(
        async (file) =>
          JSON.parse(await readFile(join(directory, file), 'utf8')) as Record<string, unknown>,
      ),
    );
    const template = specialTokenTemplateOf(tokenizerJson as Record<string, unknown>);
    if (template === undefined) {
      // The runner refused this tokenizer already; a model that loaded never gets here.
      throw new Error('tokenizer.json has no post_processor we understand');
    }
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const tokenizer = new Tokenizer(tokenizerJson as object, tokenizerConfig as object);
    const queryMaxTokens = limits.queryMaxTokens ?? Math.floor((limits.maxLength * 3) / 4);
    const encoder = new PairEncoder(
      tokenizer,
      template,
      { maxLength: limits.maxLength, truncation: limits.truncation, queryMaxTokens },
      wordStartTestOf(tokenizerJson as Record<string, unknown>),
    );
    return new TokenWindowPlanner(encoder, specialTokenCount(template.pair), {
      ...limits,
      queryMaxTokens,
    });
  }

  /**
   * The most document tokens that pair truncation leaves whole beside `query`: found with the
   * runner's own truncation rule, so `longest_first` (which may cut a long query instead) and
   * `only_second` (which caps the query) both get their real figure.
   */
  documentBudget(query: string): number {
    const { maxLength, truncation, queryMaxTokens } = this.limits;
    const tokenized = this.encoder.tokenizeQuery(query);
    const queryLength =
      truncation === 'longest_first' ? tokenized.pairLength : tokenized.ids.length;
    const budget = Math.max(0, maxLength - this.pairSpecials);
    const limits = {
      maxLength,
      specialTokens: this.pairSpecials,
      strategy: truncation,
      queryMaxTokens,
    };
    for (let documentLength = budget; documentLength >= 1; documentLength -= 1) {
      if (truncatePairLengths(queryLength, documentLength, limits)[1] === documentLength) {
        return documentLength;
      }
    }
    return 0;
  }

  /** Token windows of each text; a text that fits whole is one span. */
  plan(options: LongDocumentWindowsV1Options): TextSpanV1[][] {
    const budget = this.documentBudget(options.query);
    if (budget === 0) {
      throw new InvalidArgumentError({
        argument: 'query',
        message: `leaves no room for a document in the model's ${this.limits.maxLength} tokens, so long documents cannot be windowed.`,
      });
    }
    const windowTokens = Math.min(budget, options.maxWindowTokens ?? budget);
    const overlapTokens = resolveWindowOverlap(options.overlap, windowTokens);
    const measure = (text: string) => this.encoder.tokenize(text).ids.length;
    return options.texts.map((text) =>
      planTextWindows(text, { windowTokens, overlapTokens, measure }),
    );
  }
}
