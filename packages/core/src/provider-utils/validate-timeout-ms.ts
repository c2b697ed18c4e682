import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { describe } from '../util/validate-arguments.js';

/**
 * Checks a timeout setting: absent, or a positive number of milliseconds (`Infinity` means no
 * timeout). A timeout of 0 or a negative one would fail every call at once, and `NaN` would
 * make Node fire the timer at once too, so both are refused where they are set.
 *
 * @param value - the setting as the caller gave it
 * @param argument - its name in the error (`timeoutMs`, `settings.timeoutMs`)
 * @returns the value, typed
 */
export function validateTimeoutMs(value: unknown, argument = 'timeoutMs'): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new InvalidArgumentError({
      argument,
      message: `must be a positive number of milliseconds, got ${describe(value)}.`,
    });
  }
  return value;
}
