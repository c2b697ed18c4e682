import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { describe } from '../util/validate-arguments.js';

/**
 * Checks a timeout setting: absent, or a positive, finite number of milliseconds. A timeout of 0
 * or a negative one would fail every call at once, and Node fires the timer of `NaN` at once too,
 * so they are refused where they are set, not discovered at the first call.
 *
 * @param value - the setting as the caller gave it
 * @param argument - its name in the error (`timeoutMs`, `settings.timeoutMs`)
 * @returns the value, typed
 */
export function validateTimeoutMs(value: unknown, argument = 'timeoutMs'): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError({
      argument,
      message: `must be a positive number of milliseconds, got ${describe(value)}.`,
    });
  }
  return value;
}
