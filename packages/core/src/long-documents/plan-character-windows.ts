import type { TextSpanV1 } from '../spec/v1/rerank-stage-v1.js';
import { planTextWindows } from './plan-text-windows.js';
import { resolveWindowOverlap } from './resolve-window-overlap.js';

/**
 * Characters per token, for stages that cannot count tokens: about what English text averages
 * under WordPiece and BPE vocabularies (the rule of thumb OpenAI's tokenizer guide gives).
 * Text in other scripts often needs more tokens per character, so windows planned with
 * it are an estimate, not a guarantee: pick `maxWindowTokens` with room to spare.
 */
export const charactersPerToken = 4;

/** Tokens kept free for the special tokens a pair input adds (`[CLS] … [SEP] … [SEP]`, `<s>`…). */
const specialTokenReserve = 4;

/** How many tokens a text is, by the {@link charactersPerToken} estimate. */
export function estimateTokens(text: string): number {
  return text.length / charactersPerToken;
}

/**
 * The window size, in estimated tokens, for a stage without a planner: `maxWindowTokens` when
 * given, capped at what the stage's declared `maxInputTokens` leaves beside the query (never
 * less than a quarter of it, so a long query still leaves windows worth scoring).
 *
 * @returns `undefined` when neither is known: such a stage cannot be windowed
 */
export function characterWindowTokens(
  query: string,
  maxInputTokens: number | undefined,
  maxWindowTokens: number | undefined,
): number | undefined {
  if (maxInputTokens === undefined) return maxWindowTokens;
  const besideQuery = Math.max(
    Math.floor(maxInputTokens / 4),
    Math.floor(maxInputTokens - estimateTokens(query) - specialTokenReserve),
    1,
  );
  return maxWindowTokens === undefined ? besideQuery : Math.min(maxWindowTokens, besideQuery);
}

/**
 * Windows of every text by the characters-per-token estimate: whole words, at most
 * `windowTokens × charactersPerToken` characters each, neighbours sharing about
 * `overlap × charactersPerToken` characters.
 */
export function planCharacterWindows(
  texts: readonly string[],
  windowTokens: number,
  overlap: number | undefined,
): TextSpanV1[][] {
  const overlapTokens = resolveWindowOverlap(overlap, windowTokens);
  return texts.map((text) =>
    planTextWindows(text, { windowTokens, overlapTokens, measure: estimateTokens }),
  );
}
