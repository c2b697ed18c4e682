import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { validateOptionsObject } from '../util/validate-arguments.js';
import { checkLabelledScores } from './check-labelled-scores.js';

/** Options of {@link suggestThreshold}. */
export type SuggestThresholdOptions = {
  /** Scores of labelled pairs (raw, or calibrated by `withCalibration`). */
  scores: readonly number[];
  /** 1 where relevant, else 0. */
  labels: readonly (0 | 1 | boolean)[];
  /** Maximise F1, or keep the most results (highest recall) at a precision of at least this. */
  target: 'f1' | { precision: number };
};

/** A proposed `minScore` and what it gives on the labelled pairs. */
export type SuggestedThreshold = {
  minScore: number;
  precision: number;
  recall: number;
  f1: number;
};

/**
 * Proposes a `minScore` for `twoStage` / `createPipeline`: pairs scoring at least it count as
 * kept. Each distinct score is a candidate threshold.
 *
 * @throws InvalidArgumentError for malformed arrays, labels without a relevant pair, an unknown
 *   target, or a precision no threshold reaches (the message gives the best one)
 */
export function suggestThreshold(options: SuggestThresholdOptions): SuggestedThreshold {
  validateOptionsObject(options);
  checkOptionNames(options, ['scores', 'labels', 'target'], 'suggestThreshold()');
  const { scores, labels } = checkLabelledScores(options.scores, options.labels, false);
  const relevantTotal = labels.filter((label) => label === 1).length;
  if (relevantTotal === 0) {
    throw new InvalidArgumentError({
      argument: 'labels',
      message: 'hold no relevant pair: no threshold can be judged.',
    });
  }
  const target = options.target;
  if (typeof target === 'object' && target !== null) {
    checkOptionNames(target, ['precision'], 'suggestThreshold()', 'target');
  }
  const precisionTarget =
    target === 'f1'
      ? undefined
      : typeof target === 'object' && target !== null
        ? target.precision
        : Number.NaN;
  if (precisionTarget !== undefined && !(precisionTarget > 0 && precisionTarget <= 1)) {
    throw new InvalidArgumentError({
      argument: 'target',
      message: `must be 'f1' or { precision } with a precision in (0, 1], got ${JSON.stringify(target)}.`,
    });
  }
  // Sweep thresholds from the highest score down: each step keeps the pairs of one more score.
  const order = scores
    .map((_, index) => index)
    .sort((x, y) => (scores[y] as number) - (scores[x] as number));
  let kept = 0;
  let keptRelevant = 0;
  let best: SuggestedThreshold | undefined;
  let bestPrecision = 0;
  for (let position = 0; position < order.length; position++) {
    const index = order[position] as number;
    kept += 1;
    keptRelevant += labels[index] as number;
    const score = scores[index] as number;
    if (position + 1 < order.length && scores[order[position + 1] as number] === score) continue;
    const precision = keptRelevant / kept;
    const recall = keptRelevant / relevantTotal;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    const candidate = { minScore: score, precision, recall, f1 };
    bestPrecision = Math.max(bestPrecision, precision);
    if (precisionTarget === undefined) {
      if (best === undefined || f1 > best.f1) best = candidate;
    } else if (precision >= precisionTarget && (best === undefined || recall > best.recall)) {
      best = candidate;
    }
  }
  if (best === undefined) {
    throw new InvalidArgumentError({
      argument: 'target.precision',
      message: `no threshold reaches a precision of ${precisionTarget} on these pairs; the best is ${bestPrecision.toFixed(3)}.`,
    });
  }
  return best;
}
