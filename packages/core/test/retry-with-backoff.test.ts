import { describe, expect, test } from 'vitest';
import { AbortedError } from '../src/errors/aborted-error.js';
import { ApiCallError } from '../src/errors/api-call-error.js';
import { InvalidArgumentError } from '../src/errors/invalid-argument-error.js';
import { RetryError } from '../src/errors/retry-error.js';
import { type RetryOptions, retryWithBackoff } from '../src/retry/retry-with-backoff.js';
import { never } from './helpers/never.js';

function apiError(statusCode: number, retryAfterMs?: number): ApiCallError {
  return new ApiCallError({
    message: `status ${statusCode}`,
    url: 'https://api.example.test/v2/rerank',
    statusCode,
    retryAfterMs,
  });
}

/** An operation that fails with `failures` in order, then returns 'ok'. */
function failing(failures: unknown[]) {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    const failure = failures[attempts.length - 1];
    if (failure !== undefined) throw failure;
    return 'ok';
  };
  return { fn, attempts };
}

/** Retry options whose waits are recorded instead of slept, and whose jitter is fixed. */
function recorded(options: RetryOptions = {}, random = 0) {
  const delays: number[] = [];
  return {
    delays,
    options: {
      random: () => random,
      sleep: async (ms: number) => {
        delays.push(ms);
      },
      ...options,
    } satisfies RetryOptions,
  };
}

describe('retryWithBackoff', () => {
  test('returns the first success without waiting', async () => {
    const { fn, attempts } = failing([]);
    const { delays, options } = recorded();
    await expect(retryWithBackoff(fn, options)).resolves.toBe('ok');
    expect(attempts).toEqual([1]);
    expect(delays).toEqual([]);
  });

  test('retries retryable errors with exponential backoff from 500 ms', async () => {
    const { fn, attempts } = failing([apiError(500), apiError(503)]);
    const { delays, options } = recorded();
    await expect(retryWithBackoff(fn, options)).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(delays).toEqual([500, 1000]);
  });

  test('caps the backoff at 8 s', async () => {
    const { fn } = failing(Array.from({ length: 6 }, () => apiError(429)));
    const { delays, options } = recorded({ maxRetries: 6 });
    await expect(retryWithBackoff(fn, options)).resolves.toBe('ok');
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  test('applies a jitter that shortens the wait by at most a quarter', async () => {
    const { fn } = failing([apiError(500), apiError(500)]);
    const { delays, options } = recorded({}, 0.999999);
    await retryWithBackoff(fn, options);
    expect(delays[0]).toBeCloseTo(375, 3);
    expect(delays[1]).toBeCloseTo(750, 3);
  });

  test('honours the Retry-After of the error instead of the backoff', async () => {
    const { fn } = failing([apiError(429, 3000), apiError(503, 0)]);
    const { delays, options } = recorded();
    await retryWithBackoff(fn, options);
    expect(delays).toEqual([3000, 0]);
  });

  test('caps a Retry-After at 60 s', async () => {
    const { fn } = failing([apiError(429, 120_000)]);
    const { delays, options } = recorded();
    await retryWithBackoff(fn, options);
    expect(delays).toEqual([60_000]);
  });

  test('ignores a Retry-After that is not a usable number', async () => {
    const { fn } = failing([apiError(429, Number.NaN), apiError(429, -5)]);
    const { delays, options } = recorded();
    await retryWithBackoff(fn, options);
    expect(delays).toEqual([500, 1000]);
  });

  test('makes at most maxRetries + 1 attempts, then throws a RetryError with every error', async () => {
    const errors = [apiError(500), apiError(502), apiError(503), apiError(504)];
    const { fn, attempts } = failing(errors);
    const { delays, options } = recorded();
    const error = await retryWithBackoff(fn, options).catch((caught: unknown) => caught);
    expect(attempts).toEqual([1, 2, 3]);
    expect(delays).toEqual([500, 1000]);
    expect(RetryError.isInstance(error)).toBe(true);
    const retryError = error as RetryError;
    expect(retryError.reason).toBe('maxRetriesExceeded');
    expect(retryError.errors).toEqual(errors.slice(0, 3));
    expect(retryError.lastError).toBe(errors[2]);
    expect(retryError.message).toBe('Failed after 3 attempts. Last error: status 503');
  });

  test('honours a custom maxRetries', async () => {
    const { fn, attempts } = failing(Array.from({ length: 10 }, () => apiError(500)));
    const { options } = recorded({ maxRetries: 4 });
    await expect(retryWithBackoff(fn, options)).rejects.toThrow(RetryError);
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
  });

  test('with maxRetries 0 makes one attempt and throws its error as is', async () => {
    const failure = apiError(500);
    const { fn, attempts } = failing([failure]);
    const { delays, options } = recorded({ maxRetries: 0 });
    await expect(retryWithBackoff(fn, options)).rejects.toBe(failure);
    expect(attempts).toEqual([1]);
    expect(delays).toEqual([]);
  });

  test('does not retry a non-retryable error', async () => {
    const failure = apiError(400);
    const { fn, attempts } = failing([failure]);
    const { delays, options } = recorded();
    await expect(retryWithBackoff(fn, options)).rejects.toBe(failure);
    expect(attempts).toEqual([1]);
    expect(delays).toEqual([]);
  });

  test('does not retry plain errors', async () => {
    const failure = new TypeError('bug');
    const { fn, attempts } = failing([failure]);
    await expect(retryWithBackoff(fn, recorded().options)).rejects.toBe(failure);
    expect(attempts).toEqual([1]);
  });

  test('retries any error that says isRetryable: true', async () => {
    const failure = Object.assign(new Error('flaky'), { isRetryable: true, retryAfterMs: 7 });
    const { fn, attempts } = failing([failure]);
    const { delays, options } = recorded();
    await expect(retryWithBackoff(fn, options)).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2]);
    expect(delays).toEqual([7]);
  });

  test('a non-retryable error after retries gives a RetryError with reason errorNotRetryable', async () => {
    const errors = [apiError(503), apiError(401)];
    const { fn, attempts } = failing(errors);
    const error = await retryWithBackoff(fn, recorded().options).catch((caught: unknown) => caught);
    expect(attempts).toEqual([1, 2]);
    expect(RetryError.isInstance(error)).toBe(true);
    expect((error as RetryError).reason).toBe('errorNotRetryable');
    expect((error as RetryError).errors).toEqual(errors);
    expect((error as RetryError).lastError).toBe(errors[1]);
  });

  test('never retries an AbortedError', async () => {
    const aborted = new AbortedError();
    const { fn, attempts } = failing([aborted]);
    await expect(retryWithBackoff(fn, recorded().options)).rejects.toBe(aborted);
    expect(attempts).toEqual([1]);
  });

  test('never retries once the signal fired, even a retryable error', async () => {
    const controller = new AbortController();
    const attempts: number[] = [];
    const fn = async (attempt: number) => {
      attempts.push(attempt);
      controller.abort(new Error('user left'));
      throw apiError(503);
    };
    const error = await retryWithBackoff(
      fn,
      recorded({ abortSignal: controller.signal }).options,
    ).catch((caught: unknown) => caught);
    expect(attempts).toEqual([1]);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).reason).toEqual(new Error('user left'));
  });

  test('does not call fn when the signal has already fired', async () => {
    const { fn, attempts } = failing([]);
    await expect(retryWithBackoff(fn, { abortSignal: AbortSignal.abort() })).rejects.toSatisfy(
      AbortedError.isInstance,
    );
    expect(attempts).toEqual([]);
  });

  test('an abort during the wait rejects at once (default sleep)', async () => {
    const controller = new AbortController();
    const { fn, attempts } = failing([apiError(429, 60_000)]);
    const promise = retryWithBackoff(fn, {
      abortSignal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(), 5),
    });
    // Without a prompt abort this would wait 60 s and fail on the test timeout.
    await expect(promise).rejects.toSatisfy(AbortedError.isInstance);
    expect(attempts).toEqual([1]);
  });

  test('an abort during the wait rejects at once even if the injected sleep ignores the signal', async () => {
    const controller = new AbortController();
    const { fn, attempts } = failing([apiError(500)]);
    const promise = retryWithBackoff(fn, {
      abortSignal: controller.signal,
      sleep: () => never<void>(),
      onRetry: () => queueMicrotask(() => controller.abort()),
    });
    await expect(promise).rejects.toSatisfy(AbortedError.isInstance);
    expect(attempts).toEqual([1]);
  });

  test('reports each retry to onRetry', async () => {
    const errors = [apiError(500), apiError(429, 1234)];
    const { fn } = failing(errors);
    const events: unknown[] = [];
    await retryWithBackoff(fn, recorded({ onRetry: (event) => events.push(event) }).options);
    expect(events).toEqual([
      { error: errors[0], attempt: 1, delayMs: 500 },
      { error: errors[1], attempt: 2, delayMs: 1234 },
    ]);
  });

  test('catches an fn that throws synchronously', async () => {
    const attempts: number[] = [];
    const fn = (attempt: number): Promise<string> => {
      attempts.push(attempt);
      if (attempt === 1) throw apiError(502);
      return Promise.resolve('ok');
    };
    await expect(retryWithBackoff(fn, recorded().options)).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2]);
  });

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects maxRetries %s with an error naming it',
    async (maxRetries) => {
      const { fn, attempts } = failing([]);
      const error = await retryWithBackoff(fn, { maxRetries }).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('maxRetries');
      expect(attempts).toEqual([]);
    },
  );
});
