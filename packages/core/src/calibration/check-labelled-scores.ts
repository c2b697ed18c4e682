import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/**
 * Checks that `scores` and `labels` are equally long, non-empty arrays of finite numbers and of
 * 0/1 (or booleans) labels, and returns the labels as 0/1.
 *
 * @param needBothClasses - fitting needs relevant and irrelevant pairs; metrics do not
 * @throws InvalidArgumentError naming `scores`, `labels` or the first bad position
 */
export function checkLabelledScores(
  scores: unknown,
  labels: unknown,
  needBothClasses: boolean,
): { scores: readonly number[]; labels: readonly (0 | 1)[] } {
  if (!Array.isArray(scores) || scores.length === 0) {
    throw new InvalidArgumentError({
      argument: 'scores',
      message: 'must be a non-empty array of numbers.',
    });
  }
  if (!Array.isArray(labels) || labels.length !== scores.length) {
    throw new InvalidArgumentError({
      argument: 'labels',
      message: `must be an array as long as scores (${scores.length}), got ${Array.isArray(labels) ? labels.length : typeof labels}.`,
    });
  }
  const bad = scores.findIndex((score) => typeof score !== 'number' || !Number.isFinite(score));
  if (bad >= 0) {
    throw new InvalidArgumentError({
      argument: `scores[${bad}]`,
      message: `must be a finite number, got ${String(scores[bad])}.`,
    });
  }
  const binary = labels.map((label, index) => {
    if (label === 1 || label === true) return 1 as const;
    if (label === 0 || label === false) return 0 as const;
    throw new InvalidArgumentError({
      argument: `labels[${index}]`,
      message: `must be 0 or 1 (or a boolean), got ${String(label)}.`,
    });
  });
  if (needBothClasses) {
    const relevant = binary.filter((label) => label === 1).length;
    if (relevant === 0 || relevant === binary.length) {
      throw new InvalidArgumentError({
        argument: 'labels',
        message: `must hold both relevant (1) and irrelevant (0) pairs to fit a calibration; all ${binary.length} are ${relevant === 0 ? '0' : '1'}.`,
      });
    }
  }
  return { scores: scores as number[], labels: binary };
}
