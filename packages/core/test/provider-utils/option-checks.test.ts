import { describe, expect, test } from 'vitest';
import { AbortedError, InvalidArgumentError } from '../../src/errors/index.js';
import * as providerUtils from '../../src/provider-utils/index.js';
import { sleep as coreSleep } from '../../src/util/sleep.js';
import { validateInteger as coreValidateInteger } from '../../src/util/validate-arguments.js';
import { failure } from './loopback-api.js';

const { sleep, throwIfAborted, validateInteger, validateTimeoutMs } = providerUtils;

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('one copy of each helper', () => {
  test('provider-utils hands out the functions core itself uses', () => {
    expect(validateInteger).toBe(coreValidateInteger);
    expect(sleep).toBe(coreSleep);
  });
});

describe('validateInteger', () => {
  test('returns an integer in range', () => {
    expect(validateInteger(5, 'priority', { min: 0, max: 999 })).toBe(5);
    expect(validateInteger(0, 'priority', { min: 0, max: 999 })).toBe(0);
    expect(validateInteger(Number.POSITIVE_INFINITY, 'n', { min: 1, allowInfinity: true })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  test.each([
    [1.5, 'must be an integer, got 1.5.'],
    ['3', 'must be an integer, got a string.'],
    [Number.NaN, 'must be an integer, got NaN.'],
    [-1, 'must be at least 0, got -1.'],
    [1000, 'must be at most 999, got 1000.'],
  ])('refuses %s with an InvalidArgumentError naming the option', (value, message) => {
    const error = thrown(() =>
      validateInteger(value, 'providerOptions.acme.priority', { min: 0, max: 999 }),
    );
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      argument: 'providerOptions.acme.priority',
      message: `Invalid argument 'providerOptions.acme.priority': ${message}`,
    });
  });
});

describe('validateTimeoutMs', () => {
  test('passes a positive number and an absent value', () => {
    expect(validateTimeoutMs(30_000)).toBe(30_000);
    expect(validateTimeoutMs(0.5)).toBe(0.5);
    expect(validateTimeoutMs(undefined)).toBeUndefined();
  });

  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY, '100', null])('refuses %s', (value) => {
    const error = thrown(() => validateTimeoutMs(value, 'settings.timeoutMs'));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ argument: 'settings.timeoutMs' });
    expect((error as Error).message).toContain('must be a positive number of milliseconds');
  });
});

describe('abort helpers', () => {
  test('throwIfAborted throws an AbortedError with the reason, only once aborted', () => {
    const controller = new AbortController();
    expect(() => throwIfAborted(controller.signal)).not.toThrow();
    expect(() => throwIfAborted(undefined)).not.toThrow();
    controller.abort('stop');
    const error = thrown(() => throwIfAborted(controller.signal));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'stop' });
  });

  test('sleep resolves, and rejects with an AbortedError when aborted', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort('stop');
    expect(await failure(pending)).toMatchObject({ name: 'AbortedError', reason: 'stop' });
    expect(await failure(sleep(1, AbortSignal.abort('early')))).toMatchObject({
      reason: 'early',
    });
  });

  test('redactSecrets replaces every occurrence of each secret', () => {
    expect(providerUtils.redactSecrets('a sk-123456 b sk-123456', ['sk-123456', undefined])).toBe(
      'a [REDACTED] b [REDACTED]',
    );
  });
});
