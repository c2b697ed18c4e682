import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Calibration } from './calibration.js';

const fail = (field: string, message: string): never => {
  throw new InvalidArgumentError({ argument: `calibration.${field}`, message });
};

const isFiniteList = (value: unknown): value is number[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((item) => typeof item === 'number' && Number.isFinite(item));

/**
 * Reads a calibration saved as JSON (a string or the parsed value) and checks every field, so a
 * damaged or hand-edited file fails here, naming the field, rather than as NaN scores later.
 *
 * @throws InvalidArgumentError naming the field (`calibration.platt.a`, `calibration.modelId`)
 */
export function parseCalibration(value: unknown): Calibration {
  let data = value;
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value) as unknown;
    } catch (error) {
      throw new InvalidArgumentError({
        argument: 'calibration',
        message: `is not valid JSON (${(error as Error).message}).`,
        cause: error,
      });
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    fail('', 'must be an object');
  const record = data as Record<string, unknown>;
  if (record.formatVersion !== 1)
    fail('formatVersion', `must be 1, got ${String(record.formatVersion)}.`);
  if (record.method !== 'platt' && record.method !== 'isotonic')
    fail('method', `must be 'platt' or 'isotonic', got ${String(record.method)}.`);
  for (const field of ['provider', 'modelId'] as const) {
    if (typeof record[field] !== 'string' || (record[field] as string) === '')
      fail(field, 'must be a non-empty string.');
  }
  const fittedOn = record.fittedOn as Record<string, unknown> | undefined;
  if (typeof fittedOn?.pairs !== 'number' || typeof fittedOn.relevant !== 'number') {
    fail('fittedOn', 'must be { pairs, relevant } counts.');
  }
  if (record.method === 'platt') {
    const platt = record.platt as Record<string, unknown> | undefined;
    for (const field of ['a', 'b'] as const) {
      if (typeof platt?.[field] !== 'number' || !Number.isFinite(platt[field]))
        fail(`platt.${field}`, 'must be a finite number.');
    }
  } else {
    const isotonic = record.isotonic as Record<string, unknown> | undefined;
    const scores = isotonic?.scores;
    const probabilities = isotonic?.probabilities;
    if (!isFiniteList(scores))
      return fail('isotonic.scores', 'must be a non-empty list of numbers.');
    if (!isFiniteList(probabilities) || probabilities.length !== scores.length) {
      return fail(
        'isotonic.probabilities',
        'must be a list of numbers as long as isotonic.scores.',
      );
    }
    for (let index = 1; index < scores.length; index++) {
      if (
        (scores[index] as number) <= (scores[index - 1] as number) ||
        (probabilities[index] as number) < (probabilities[index - 1] as number)
      ) {
        fail(
          'isotonic',
          `must increase in scores and not decrease in probabilities (position ${index}).`,
        );
      }
    }
    if (probabilities.some((p) => p < 0 || p > 1))
      fail('isotonic.probabilities', 'must lie in [0, 1].');
  }
  return data as Calibration;
}
