import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { closestName } from '../util/closest-name.js';
import { describe, describeChoice, validateInteger } from '../util/validate-arguments.js';
import type { MockFault } from './mock-fault.js';

// The mocks are production code that plain-JS apps configure by hand (or from JSON), so every
// setting is checked when the mock is built: a typo there would otherwise silently fall back to a
// default and make a test pass for the wrong reason.

/**
 * Checks that `settings` is an object (or `undefined`: no settings) whose every own name is one of
 * `known`, and returns it as a record. An unknown name is an `InvalidArgumentError` naming it and
 * the closest known name, if one is close.
 *
 * @param mock - the mock's class name, for the message
 */
export function checkSettingNames(
  settings: unknown,
  mock: string,
  known: readonly string[],
): Record<string, unknown> {
  if (settings === undefined) return {};
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidArgumentError({
      argument: 'settings',
      message: `must be an object of ${mock} settings, got ${describe(settings)}.`,
    });
  }
  for (const name of Object.keys(settings)) {
    if (known.includes(name)) continue;
    const suggestion = closestName(name, known);
    throw new InvalidArgumentError({
      argument: name,
      message: `is not a ${mock} setting${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}; its settings are ${known.join(', ')}.`,
    });
  }
  return settings as Record<string, unknown>;
}

/** A model id: a non-empty string, `fallback` when undefined. */
export function checkModelId(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError({
      argument: 'modelId',
      message: `must be a non-empty string, got ${describe(value)}.`,
    });
  }
  return value;
}

/** A per-call limit: an integer ≥ 1, or `undefined` for no limit. */
export function checkLimit(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : validateInteger(value, name, { min: 1 });
}

/** A latency in milliseconds: a finite number ≥ 0, 0 when undefined. */
export function checkLatencyMs(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError({
      argument: 'latencyMs',
      message: `must be a finite number of milliseconds ≥ 0, got ${describe(value)}.`,
    });
  }
  return value;
}

/**
 * Scripted faults: an array of `{ call, error }` with `call` an integer ≥ 1, each call at most
 * once, and an `error` to throw. Returns a copy, so the script cannot change after the check.
 */
export function checkFaults(value: unknown): readonly MockFault[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument: 'faults',
      message: `must be an array of { call, error }, got ${describe(value)}.`,
    });
  }
  const seen = new Set<number>();
  return value.map((fault: unknown, index) => {
    if (fault === null || typeof fault !== 'object') {
      throw new InvalidArgumentError({
        argument: `faults[${index}]`,
        message: `must be an object { call, error }, got ${describe(fault)}.`,
      });
    }
    const { call, error } = fault as Record<string, unknown>;
    validateInteger(call, `faults[${index}].call`, { min: 1 });
    if (seen.has(call as number)) {
      throw new InvalidArgumentError({
        argument: `faults[${index}].call`,
        message: `call ${call} already has a fault; script one fault per call.`,
      });
    }
    seen.add(call as number);
    if (error === undefined) {
      throw new InvalidArgumentError({
        argument: `faults[${index}].error`,
        message: 'must be what the call throws, got undefined.',
      });
    }
    return { call: call as number, error };
  });
}

/** An optional function setting. */
export function checkFunction<T>(value: unknown, name: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new InvalidArgumentError({
      argument: name,
      message: `must be a function, got ${describe(value)}.`,
    });
  }
  return value as T;
}

/** An optional boolean setting, `fallback` when undefined. */
export function checkBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError({
      argument: name,
      message: `must be true or false, got ${describe(value)}.`,
    });
  }
  return value;
}

/** An optional setting that takes one of a few words, `fallback` when undefined. */
export function checkChoice<T extends string>(
  value: unknown,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) {
    throw new InvalidArgumentError({
      argument: name,
      message: `must be one of ${choices.map((choice) => `'${choice}'`).join(', ')}, got ${describeChoice(value)}.`,
    });
  }
  return value as T;
}
