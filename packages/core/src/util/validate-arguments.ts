import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** Checks that a function's single options argument is an object (for callers without types). */
export function validateOptionsObject(options: unknown): void {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({
      argument: 'options',
      message: `must be an object, got ${describe(options)}.`,
    });
  }
}

/** Checks that `query` is a string with at least one non-blank character. */
export function validateQuery(query: unknown, argument = 'query'): string {
  if (typeof query !== 'string') {
    throw new InvalidArgumentError({
      argument,
      message: `must be a string, got ${describe(query)}.`,
    });
  }
  if (query.trim() === '') {
    throw new InvalidArgumentError({ argument, message: 'must not be empty or blank.' });
  }
  return query;
}

/**
 * Checks that `value` is an integer ≥ `min` (and ≤ `max` when given). `Infinity` passes only
 * with `allowInfinity` (used for concurrency limits).
 */
export function validateInteger(
  value: unknown,
  argument: string,
  { min, max, allowInfinity = false }: { min: number; max?: number; allowInfinity?: boolean },
): number {
  const isInteger =
    typeof value === 'number' &&
    (Number.isInteger(value) || (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!isInteger) {
    throw new InvalidArgumentError({
      argument,
      message: `must be an integer${allowInfinity ? ' (or Infinity)' : ''}, got ${describe(value)}.`,
    });
  }
  if (value < min) {
    throw new InvalidArgumentError({ argument, message: `must be at least ${min}, got ${value}.` });
  }
  if (max !== undefined && value > max) {
    throw new InvalidArgumentError({ argument, message: `must be at most ${max}, got ${value}.` });
  }
  return value;
}

/**
 * Checks that `value` is a stage of the v1 contract: an object with `specificationVersion: 'v1'`
 * whose `method` is a function; a rerank stage must also declare a known `scoreKind`. A stage
 * of another contract version would be called with options it does not expect and return what
 * core cannot check, so it is refused here, by name.
 */
export function validateStage(value: unknown, argument: string, method: string): void {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as Record<string, unknown>)[method] !== 'function'
  ) {
    throw new InvalidArgumentError({
      argument,
      message: `must be an object with a '${method}' method, got ${describe(value)}.`,
    });
  }
  const { specificationVersion, scoreKind } = value as Record<string, unknown>;
  if (specificationVersion !== 'v1') {
    throw new InvalidArgumentError({
      argument: `${argument}.specificationVersion`,
      message: `must be 'v1' (the stage contract this version of @twostage/core implements), got ${describeChoice(specificationVersion)}.`,
    });
  }
  if (
    method === 'doRerank' &&
    scoreKind !== 'probability' &&
    scoreKind !== 'logit' &&
    scoreKind !== 'similarity'
  ) {
    throw new InvalidArgumentError({
      argument: `${argument}.scoreKind`,
      message: `must be 'probability', 'logit' or 'similarity', got ${describeChoice(scoreKind)}.`,
    });
  }
}

/**
 * Checks that `value`, when given, is an `AbortSignal` (or quacks like one, for signals of
 * another realm). Passing the controller instead of its `signal` is an easy slip that would
 * otherwise surface as a TypeError from deep inside a call.
 */
export function validateAbortSignal(value: unknown, argument = 'abortSignal'): void {
  if (value === undefined) return;
  const signal = value as { aborted?: unknown; addEventListener?: unknown } | null;
  if (
    signal === null ||
    typeof signal !== 'object' ||
    typeof signal.aborted !== 'boolean' ||
    typeof signal.addEventListener !== 'function'
  ) {
    const hint =
      signal !== null && typeof signal === 'object' && 'signal' in signal
        ? " (pass the controller's `signal`, not the controller)"
        : '';
    throw new InvalidArgumentError({
      argument,
      message: `must be an AbortSignal, got ${describe(value)}${hint}.`,
    });
  }
}

/** A short description of a value for an error message (never the value itself: it may be large). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * Like {@link describe}, but shows a short string itself, quoted: for an option that takes one of
 * a few words, the typo (`'search_query'`) is the useful part of the message.
 */
export function describeChoice(value: unknown): string {
  return typeof value === 'string' && value.length <= 40 ? `'${value}'` : describe(value);
}
