import type { TextSpanV1 } from '../spec/v1/rerank-stage-v1.js';

/** Options of {@link planTextWindows}. */
export type PlanTextWindowsOptions = {
  /** The most tokens one window may measure; an integer ≥ 1. */
  windowTokens: number;
  /** About how many tokens neighbouring windows share; an integer ≥ 0 below `windowTokens`. */
  overlapTokens: number;
  /**
   * How many tokens a text is, measured alone, as the model will see the window: a tokenizer's
   * count (without special tokens), or an estimate. Longer text must never measure less.
   */
  measure(text: string): number;
};

/** A run of non-blank characters (or a part of one too long for a window), and its measure. */
type Piece = { start: number; end: number; cost: number };

/** Pieces up to this long are measured once per text (words repeat); longer ones every time. */
const cachedPieceLength = 64;

/**
 * Splits `text` into overlapping windows that each measure at most `windowTokens`, cut between
 * words, as the spans to score. A text that fits is one span, `[{ start: 0, end: text.length }]`.
 *
 * Windows are filled greedily word by word, then each is measured whole (a word's tokens can
 * depend on its neighbours) and shrunk until it fits, so a window is exactly what the model reads
 * when it scores `text.slice(start, end)` alone. The next window starts about `overlapTokens`
 * before the previous one ended, at a word. A word longer than a window (a URL, text without
 * spaces) is cut in halves until each part fits; a single character that alone exceeds the window
 * becomes a window of its own.
 */
export function planTextWindows(text: string, options: PlanTextWindowsOptions): TextSpanV1[] {
  const { windowTokens, overlapTokens, measure } = options;
  const whole: TextSpanV1[] = [{ start: 0, end: text.length }];
  if (measure(text) <= windowTokens) return whole;

  const cache = new Map<string, number>();
  const costOf = (start: number, end: number): number => {
    const piece = text.slice(start, end);
    if (piece.length > cachedPieceLength) return measure(piece);
    let cost = cache.get(piece);
    if (cost === undefined) {
      cost = measure(piece);
      cache.set(piece, cost);
    }
    return cost;
  };
  const pieces: Piece[] = [];
  const addPiece = (start: number, end: number): void => {
    const cost = costOf(start, end);
    let middle = start + Math.floor((end - start) / 2);
    // Never between the two halves of a surrogate pair: each half alone is not a character.
    if (isLowSurrogate(text.charCodeAt(middle)) && isHighSurrogate(text.charCodeAt(middle - 1))) {
      middle -= 1;
    }
    if (cost <= windowTokens || middle <= start) {
      pieces.push({ start, end, cost });
      return;
    }
    addPiece(start, middle);
    addPiece(middle, end);
  };
  for (const match of text.matchAll(/\S+/gu)) {
    addPiece(match.index, match.index + match[0].length);
  }
  if (pieces.length === 0) return whole;

  const spanCost = (first: number, afterLast: number): number =>
    measure(text.slice((pieces[first] as Piece).start, (pieces[afterLast - 1] as Piece).end));
  // Greedy by the words' own measures, then checked whole and shrunk by bisection.
  const fill = (first: number): number => {
    let afterLast = first + 1;
    let sum = (pieces[first] as Piece).cost;
    while (afterLast < pieces.length && sum + (pieces[afterLast] as Piece).cost <= windowTokens) {
      sum += (pieces[afterLast] as Piece).cost;
      afterLast += 1;
    }
    if (afterLast === first + 1 || spanCost(first, afterLast) <= windowTokens) return afterLast;
    // Invariant: `low` pieces fit (one piece always does), `high` do not.
    let low = first + 1;
    let high = afterLast;
    while (high - low > 1) {
      const middle = low + Math.floor((high - low) / 2);
      if (spanCost(first, middle) <= windowTokens) low = middle;
      else high = middle;
    }
    return low;
  };
  const windows: TextSpanV1[] = [];
  let first = 0;
  let previousAfterLast = 0;
  for (;;) {
    let afterLast = fill(first);
    // A window that would end where the previous one did adds nothing: start after it instead.
    if (afterLast <= previousAfterLast) {
      first = previousAfterLast;
      afterLast = fill(first);
    }
    windows.push({
      start: (pieces[first] as Piece).start,
      end: (pieces[afterLast - 1] as Piece).end,
    });
    if (afterLast >= pieces.length) return windows;
    // Step back over about `overlapTokens` of the window's last words, but always advance.
    let next = afterLast;
    let shared = 0;
    while (next - 1 > first && shared + (pieces[next - 1] as Piece).cost <= overlapTokens) {
      shared += (pieces[next - 1] as Piece).cost;
      next -= 1;
    }
    previousAfterLast = afterLast;
    first = next;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
