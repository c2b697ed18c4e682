import type { Calibration } from './calibration.js';

/** The probability of relevance a calibration gives a raw score. */
export function applyCalibration(calibration: Calibration, score: number): number {
  if (calibration.method === 'platt') {
    const { a, b } = calibration.platt as { a: number; b: number };
    return 1 / (1 + Math.exp(-(a * score + b)));
  }
  const { scores, probabilities } = calibration.isotonic as {
    scores: readonly number[];
    probabilities: readonly number[];
  };
  const last = scores.length - 1;
  if (score <= (scores[0] as number)) return probabilities[0] as number;
  if (score >= (scores[last] as number)) return probabilities[last] as number;
  // Binary search for the segment [scores[low], scores[low + 1]] that holds the score.
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((scores[middle] as number) <= score) low = middle;
    else high = middle;
  }
  const x0 = scores[low] as number;
  const x1 = scores[high] as number;
  const y0 = probabilities[low] as number;
  const y1 = probabilities[high] as number;
  return y0 + ((score - x0) / (x1 - x0)) * (y1 - y0);
}
