import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/**
 * The 0-based position of each id in a ranking, checking that no id appears twice (the
 * agreement measures compare orderings of distinct items; a repeated id has no single rank).
 */
export function rankingPositions(
  ranking: readonly string[],
  argument: string,
): Map<string, number> {
  if (!Array.isArray(ranking)) {
    throw new InvalidArgumentError({ argument, message: 'must be an array of ids' });
  }
  const positions = new Map<string, number>();
  ranking.forEach((id, position) => {
    if (typeof id !== 'string') {
      throw new InvalidArgumentError({
        argument: `${argument}[${position}]`,
        message: `must be a string id, got ${typeof id}`,
      });
    }
    if (positions.has(id)) {
      throw new InvalidArgumentError({
        argument: `${argument}[${position}]`,
        message: `'${id}' appears twice; a ranking lists each id once`,
      });
    }
    positions.set(id, position);
  });
  return positions;
}
