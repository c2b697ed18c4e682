import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/**
 * Which documents are relevant to a query: a list of ids (each with gain 1), or a map from id to
 * a graded gain (`{ 'doc-1': 3, 'doc-2': 1 }`) for nDCG. Ids not listed have gain 0.
 */
export type RelevanceJudgments = readonly string[] | Readonly<Record<string, number>>;

/** Normalises judgments to a map of positive gains, validating them. */
export function toGainMap(judgments: RelevanceJudgments): Map<string, number> {
  const gains = new Map<string, number>();
  if (Array.isArray(judgments)) {
    for (const id of judgments as readonly string[]) gains.set(id, 1);
    return gains;
  }
  for (const [id, gain] of Object.entries(judgments)) {
    if (typeof gain !== 'number' || !Number.isFinite(gain) || gain < 0) {
      throw new InvalidArgumentError({
        argument: `relevant.${id}`,
        message: `a gain must be a finite number ≥ 0, got ${String(gain)}`,
      });
    }
    if (gain > 0) gains.set(id, gain);
  }
  return gains;
}

/** Checks that `k` is an integer ≥ 1. */
export function validateCutoff(k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new InvalidArgumentError({ argument: 'k', message: `must be an integer ≥ 1, got ${k}` });
  }
}
