import { InvalidArgumentError } from '@twostage/core';

/** How a value is named in messages: its type, or the value itself for short primitives. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** Checks an optional boolean option. @throws InvalidArgumentError naming `argument` */
export function checkOptionalBoolean(value: unknown, argument: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new InvalidArgumentError({
      argument,
      message: `must be true or false, got ${describe(value)}.`,
    });
  }
}

/**
 * Checks an optional finite number within `[min, max]`; `integer` also requires a whole number.
 * @throws InvalidArgumentError naming `argument` and the range
 */
export function checkOptionalNumber(
  value: unknown,
  argument: string,
  { min, max, integer = false }: { min: number; max?: number; integer?: boolean },
): void {
  if (value === undefined) return;
  const range = max === undefined ? `≥ ${min}` : `between ${min} and ${max}`;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    (max !== undefined && value > max)
  ) {
    throw new InvalidArgumentError({
      argument,
      message: `must be ${integer ? 'an integer' : 'a number'} ${range}, got ${describe(value)}.`,
    });
  }
}

/** Checks an optional string option against its choices. @throws InvalidArgumentError */
export function checkOptionalChoice(
  value: unknown,
  argument: string,
  choices: readonly string[],
): void {
  if (value !== undefined && !choices.includes(value as string)) {
    throw new InvalidArgumentError({
      argument,
      message: `must be one of ${choices.map((choice) => `'${choice}'`).join(', ')}, got ${describe(value)}.`,
    });
  }
}
