import { describe, expect, test } from 'vitest';
import {
  ApiCallError,
  CircuitOpenError,
  InvalidArgumentError,
  RetryError,
  rerank,
  retrieve,
  withCircuitBreaker,
} from '../src/index.js';
import { MockRetrieveStage } from '../src/mock/index.js';
import type { RerankStageV1 } from '../src/spec/v1/index.js';

// A dead provider should cost one fast failure per call, not a timeout: after N consecutive
// failures the breaker stops calling the stage, then lets one trial call decide.

/** A reranker that fails with a 503 while `down` is true, and counts its calls. */
function flakyReranker(): RerankStageV1 & { down: boolean; calls: number } {
  const stage = {
    specificationVersion: 'v1' as const,
    provider: 'flaky',
    modelId: 'model',
    maxDocumentsPerCall: undefined,
    scoreKind: 'probability' as const,
    down: true,
    calls: 0,
    async doRerank() {
      stage.calls++;
      if (stage.down) {
        throw new ApiCallError({
          message: 'unavailable',
          url: 'https://x/rerank',
          statusCode: 503,
        });
      }
      return { ranking: [{ index: 0, score: 0.9 }] };
    },
  };
  return stage;
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withCircuitBreaker', () => {
  test('opens after failureThreshold consecutive failures and then fails fast without calling the stage', async () => {
    const stage = flakyReranker();
    const guarded = withCircuitBreaker(stage, { failureThreshold: 3, cooldownMs: 60_000 });
    for (let call = 0; call < 3; call++) {
      const error = await errorOf(
        rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 0 }),
      );
      expect(ApiCallError.isInstance(error)).toBe(true);
    }
    expect(stage.calls).toBe(3);
    const refused = await errorOf(
      rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 0 }),
    );
    expect(CircuitOpenError.isInstance(refused)).toBe(true);
    expect((refused as CircuitOpenError).stage).toBe('flaky:model');
    expect(stage.calls).toBe(3);
  });

  test("core's retries stop at the open circuit: no attempts against a dead stage past the threshold", async () => {
    const stage = flakyReranker();
    const guarded = withCircuitBreaker(stage, { failureThreshold: 2 });
    const error = await errorOf(
      rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 5, timeoutMs: 20_000 }),
    );
    expect(RetryError.isInstance(error)).toBe(true);
    const attempts = (error as RetryError).errors;
    expect(CircuitOpenError.isInstance(attempts.at(-1))).toBe(true);
    expect(stage.calls).toBe(2);
  }, 20_000);

  test('after the cool-down one trial call decides: success closes the circuit', async () => {
    const states: string[] = [];
    const stage = flakyReranker();
    const guarded = withCircuitBreaker(stage, {
      failureThreshold: 1,
      cooldownMs: 50,
      onStateChange: (state) => states.push(state),
    });
    await errorOf(rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 0 }));
    expect(
      CircuitOpenError.isInstance(
        await errorOf(rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 0 })),
      ),
    ).toBe(true);
    await sleep(80);
    stage.down = false;
    const { ranking } = await rerank({
      model: guarded,
      query: 'q',
      documents: ['a'],
      maxRetries: 0,
    });
    expect(ranking[0]?.score).toBe(0.9);
    await rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 0 });
    expect(stage.calls).toBe(3);
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  test('a failed trial call opens the circuit for another cool-down', async () => {
    const stage = flakyReranker();
    const guarded = withCircuitBreaker(stage, { failureThreshold: 1, cooldownMs: 50 });
    await errorOf(rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 0 }));
    await sleep(80);
    const trial = await errorOf(
      rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 0 }),
    );
    expect(ApiCallError.isInstance(trial)).toBe(true);
    const next = await errorOf(
      rerank({ model: guarded, query: 'q', documents: ['a'], maxRetries: 0 }),
    );
    expect(CircuitOpenError.isInstance(next)).toBe(true);
    expect(stage.calls).toBe(2);
  });

  test("the caller's aborts do not count as the stage's failures", async () => {
    const retriever = new MockRetrieveStage({
      documents: [{ id: 'a', text: 'fee' }],
      latencyMs: 1_000,
    });
    const guarded = withCircuitBreaker(retriever, { failureThreshold: 1 });
    const controller = new AbortController();
    const call = retrieve({ retriever: guarded, query: 'fee', abortSignal: controller.signal });
    controller.abort();
    await errorOf(call);
    // The guarded retriever is still closed: it answers (after its latency).
    const again = await retrieve({ retriever: guarded, query: 'fee', timeoutMs: 5_000 });
    expect(again.candidates[0]?.id).toBe('a');
  });

  test('bad options are refused by name', () => {
    const stage = flakyReranker();
    expect(() => withCircuitBreaker(stage, { failureTreshold: 3 } as never)).toThrow(
      /did you mean 'failureThreshold'/,
    );
    expect(() => withCircuitBreaker(stage, { failureThreshold: 0 })).toThrow(InvalidArgumentError);
    expect(() => withCircuitBreaker(stage, { cooldownMs: 1.5 })).toThrow(/cooldownMs/);
    expect(() => withCircuitBreaker({} as never)).toThrow(/Invalid argument 'stage'/);
  });
});
