import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** The default overlap's cap, in tokens: enough to keep a sentence cut by a window edge whole. */
const defaultOverlapCap = 32;

/**
 * The overlap of neighbouring windows of `windowTokens` tokens: the caller's `overlap`, checked
 * against the window, or by default a quarter of the window, at most 32 tokens. One rule for
 * core's character windows and every stage's own planner.
 *
 * @throws InvalidArgumentError (`longDocuments.overlap`) when `overlap` is not below the window
 */
export function resolveWindowOverlap(overlap: number | undefined, windowTokens: number): number {
  if (overlap === undefined) return Math.min(defaultOverlapCap, Math.floor(windowTokens / 4));
  if (overlap >= windowTokens) {
    throw new InvalidArgumentError({
      argument: 'longDocuments.overlap',
      message: `must be smaller than the window, which holds ${windowTokens} tokens beside this query, got ${overlap}.`,
    });
  }
  return overlap;
}
