import { checkLabelledScores } from './check-labelled-scores.js';

/**
 * The Brier score: the mean squared difference between predicted probabilities and the 0/1
 * labels (0 is perfect; always predicting 0.5 scores 0.25).
 * @throws InvalidArgumentError as `calibrate` does for the arrays
 */
export function brierScore(
  probabilities: readonly number[],
  labels: readonly (0 | 1 | boolean)[],
): number {
  const checked = checkLabelledScores(probabilities, labels, false);
  let total = 0;
  checked.scores.forEach((p, index) => {
    total += (p - (checked.labels[index] as number)) ** 2;
  });
  return total / checked.scores.length;
}

/**
 * Expected calibration error: probabilities binned into `bins` equal-width bins over [0, 1];
 * the mean over pairs of |bin's mean prediction − bin's rate of relevant pairs|.
 * @throws InvalidArgumentError as `calibrate` does for the arrays
 */
export function expectedCalibrationError(
  probabilities: readonly number[],
  labels: readonly (0 | 1 | boolean)[],
  bins = 10,
): number {
  const checked = checkLabelledScores(probabilities, labels, false);
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
