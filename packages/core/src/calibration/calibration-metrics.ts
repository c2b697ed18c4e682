import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { checkLabelledScores } from './check-labelled-scores.js';

/** Checks the arrays as `calibrate` does, and that every prediction is a probability. */
function checkProbabilities(
  probabilities: readonly number[],
  labels: readonly (0 | 1 | boolean)[],
): { scores: readonly number[]; labels: readonly (0 | 1)[] } {
  const checked = checkLabelledScores(probabilities, labels, false);
  // The slack rerank() allows a float32 sigmoid: a hair outside [0, 1] is still a probability.
  const bad = checked.scores.findIndex((p) => p < -1e-6 || p > 1 + 1e-6);
  if (bad >= 0) {
    throw new InvalidArgumentError({
      argument: `probabilities[${bad}]`,
      message: `must lie in [0, 1], got ${checked.scores[bad]}; calibrate raw scores (or pass them through a sigmoid) first.`,
    });
  }
  return checked;
}

/**
 * The Brier score: the mean squared difference between predicted probabilities and the 0/1
 * labels (0 is perfect; always predicting 0.5 scores 0.25).
 * @throws InvalidArgumentError as `calibrate` does for the arrays, or for a value outside [0, 1]
 */
export function brierScore(
  probabilities: readonly number[],
  labels: readonly (0 | 1 | boolean)[],
): number {
  const checked = checkProbabilities(probabilities, labels);
  let total = 0;
  checked.scores.forEach((p, index) => {
    total += (p - (checked.labels[index] as number)) ** 2;
  });
  return total / checked.scores.length;
}

/**
 * Expected calibration error: probabilities binned into `bins` equal-width bins over [0, 1];
 * the mean over pairs of |bin's mean prediction − bin's rate of relevant pairs|.
 * @throws InvalidArgumentError as `calibrate` does for the arrays, or for a value outside [0, 1]
 */
export function expectedCalibrationError(
  probabilities: readonly number[],
  labels: readonly (0 | 1 | boolean)[],
  bins = 10,
): number {
  const checked = checkProbabilities(probabilities, labels);
  const sums = Array.from({ length: bins }, () => ({ predicted: 0, relevant: 0, count: 0 }));
  checked.scores.forEach((p, index) => {
    const bin = sums[
      Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))
    ] as (typeof sums)[number];
    bin.predicted += p;
    bin.relevant += checked.labels[index] as number;
    bin.count += 1;
  });
  let total = 0;
  for (const bin of sums) if (bin.count > 0) total += Math.abs(bin.predicted - bin.relevant);
  return total / checked.scores.length;
}
