/**
 * Freezes `value` and everything reachable from it (plain objects and arrays; typed arrays and
 * signals are left alone, as they cannot or must not be frozen), so that a stage writing to its
 * inputs throws a `TypeError` in strict-mode code.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (ArrayBuffer.isView(value) || value instanceof AbortSignal) return value;
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return Object.freeze(value);
}
