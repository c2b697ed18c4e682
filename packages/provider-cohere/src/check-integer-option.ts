import { InvalidArgumentError } from '@twostage/core';

/** Checks that an option is an integer in [min, max] (or ≥ min), naming it when it is not. */
export function checkIntegerOption(
  value: unknown,
  argument: string,
  min: number,
  max?: number,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    (max !== undefined && value > max)
  ) {
    const range = max === undefined ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new InvalidArgumentError({
      argument,
      message: `must be an integer ${range}, got ${String(value)}.`,
    });
  }
  return value;
}
