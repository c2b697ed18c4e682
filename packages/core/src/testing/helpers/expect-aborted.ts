import * as assert from 'node:assert/strict';
import { AbortedError } from '../../errors/aborted-error.js';

/**
 * Asserts that `promise` rejects with an `AbortedError` (checked with `AbortedError.isInstance`,
 * so a provider built against another copy of core passes).
 */
export async function expectAborted(promise: PromiseLike<unknown>, what: string): Promise<void> {
  let outcome: { settled: 'resolved' } | { settled: 'rejected'; error: unknown };
  try {
    await promise;
    outcome = { settled: 'resolved' };
  } catch (error) {
    outcome = { settled: 'rejected', error };
  }
  assert.equal(
    outcome.settled,
    'rejected',
    `${what}: expected a rejection with AbortedError, but the call resolved.`,
  );
  if (outcome.settled === 'rejected') {
    assert.ok(
      AbortedError.isInstance(outcome.error),
      `${what}: expected an AbortedError, got ${describeError(outcome.error)}.`,
    );
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
