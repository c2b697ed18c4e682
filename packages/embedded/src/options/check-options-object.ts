import { InvalidArgumentError } from '@twostage/core';
import { checkOptionNames } from '@twostage/core/provider-utils';

/**
 * Checks that `value` is an options object (or absent) whose names are all in `known`, and
 * returns it (`{}` when absent). Plain-JavaScript callers have no type checker: a misspelt name
 * (`foldDiacritic`) or a string where an object belongs would otherwise be ignored silently.
 *
 * @param value - the caller's options (may be `undefined`)
 * @param known - every name the function accepts
 * @param what - the call, for the message (`createBm25Retriever()`)
 * @param path - where the object sits (`options`, `analyzer`)
 * @throws InvalidArgumentError naming the path, or the unknown name and the closest valid one
 */
export function checkOptionsObject(
  value: unknown,
  known: readonly string[],
  what: string,
  path: string,
): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument: path,
      message: `must be an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}.`,
    });
  }
  checkOptionNames(value, known, what, path === 'options' ? undefined : path);
  return value as Record<string, unknown>;
}
