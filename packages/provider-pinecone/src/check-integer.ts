import { InvalidArgumentError } from '@twostage/core';

/** Checks that an option is an integer in [min, max], naming the option when it is not. */
export function checkInteger(value: unknown, argument: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError({
      argument,
      message: `must be an integer from ${min} to ${max}, got ${String(value)}.`,
    });
  }
  return value;
}
