import { describe, expect, test } from 'vitest';
import { AbortedError } from '../src/errors/aborted-error.js';
import { ApiCallError } from '../src/errors/api-call-error.js';
import { InvalidArgumentError } from '../src/errors/invalid-argument-error.js';
import { MockRerankStage } from '../src/mock/index.js';
import { rerank } from '../src/rerank/rerank.js';
import { deepFreeze } from '../src/testing/helpers/deep-freeze.js';

/** Document i reads `doc-i` and has a score set by the test through this table. */
function corpus(scores: readonly number[]) {
  const texts = scores.map((_score, index) => `doc-${index}`);
  const score = (text: string) => scores[Number(text.slice(4))] as number;
  return { texts, score };
}

/** The expected global ranking, computed independently: score descending, then input order. */
function expectedRanking(scores: readonly number[], topN = scores.length) {
  return scores
    .map((score, index) => ({ index, score, document: `doc-${index}` }))
    .sort((left, right) => right.score - left.score || left.index - right.index)
    .slice(0, topN);
}

/** Deterministic pseudo-random scores with many ties (a small LCG). */
function scoresFor(count: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.round((state / 2147483648) * 10) / 10;
  });
}

describe('rerank windowing', () => {
  test('splits into windows of maxDocumentsPerCall and sends every document exactly once', async () => {
    const scores = scoresFor(23, 1);
    const { texts, score } = corpus(scores);
    const model = new MockRerankStage({ maxDocumentsPerCall: 5, score });
    await rerank({ model, query: 'q', documents: texts });
    const sent = model.calls.map((call) => call.documents.values);
    expect(sent).toEqual([
      texts.slice(0, 5),
      texts.slice(5, 10),
      texts.slice(10, 15),
      texts.slice(15, 20),
      texts.slice(20, 23),
    ]);
  });

  test('merges the windows into one ranking: nothing dropped, nothing duplicated, indices remapped', async () => {
    const scores = scoresFor(47, 7);
    const { texts, score } = corpus(scores);
    const model = new MockRerankStage({ maxDocumentsPerCall: 6, score });
    const result = await rerank({ model, query: 'q', documents: texts });
    expect(result.ranking).toEqual(expectedRanking(scores));
    expect(result.ranking.map((entry) => entry.index).sort((a, b) => a - b)).toEqual(
      texts.map((_text, index) => index),
    );
    for (const entry of result.ranking) expect(entry.document).toBe(texts[entry.index]);
    expect(result.timings.calls).toBe(8);
  });

  test.each([1, 3, 6, 10, 47])(
    'a global topN of %i equals the top of the full ranking',
    async (topN) => {
      const scores = scoresFor(47, 3);
      const { texts, score } = corpus(scores);
      const model = new MockRerankStage({ maxDocumentsPerCall: 6, score });
      const result = await rerank({ model, query: 'q', documents: texts, topN });
      expect(result.ranking).toEqual(expectedRanking(scores, topN));
      // Each window needs at most topN of its own documents, never more than it has.
      expect(model.calls.map((call) => call.topN)).toEqual(
        model.calls.map((call) => Math.min(topN, call.documents.values.length)),
      );
    },
  );

  test('ties across windows are broken by original index', async () => {
    const scores = Array.from({ length: 12 }, (_value, index) => (index % 3 === 0 ? 0.9 : 0.4));
    const { texts, score } = corpus(scores);
    const model = new MockRerankStage({ maxDocumentsPerCall: 4, score, reverseTies: true });
    const result = await rerank({ model, query: 'q', documents: texts });
    expect(result.ranking.map((entry) => entry.index)).toEqual([
      0, 3, 6, 9, 1, 2, 4, 5, 7, 8, 10, 11,
    ]);
  });

  test('a window of one document and a last short window are handled', async () => {
    const scores = [0.1, 0.5, 0.3];
    const { texts, score } = corpus(scores);
    for (const maxDocumentsPerCall of [1, 2, 3, 100]) {
      const model = new MockRerankStage({ maxDocumentsPerCall, score });
      const result = await rerank({ model, query: 'q', documents: texts });
      expect(result.ranking).toEqual(expectedRanking(scores));
      expect(model.calls).toHaveLength(Math.ceil(3 / maxDocumentsPerCall));
    }
  });

  test.each([1, 2, 3, 5])(
    'never runs more than maxConcurrency %i windows at once',
    async (maxConcurrency) => {
      const scores = scoresFor(40, 11);
      const { texts, score } = corpus(scores);
      const model = new MockRerankStage({ maxDocumentsPerCall: 2, score, latencyMs: 2 });
      const result = await rerank({ model, query: 'q', documents: texts, maxConcurrency });
      expect(model.calls).toHaveLength(20);
      expect(model.maxActiveCalls).toBe(maxConcurrency);
      expect(result.ranking).toEqual(expectedRanking(scores));
    },
  );

  test('many windows in flight raise no MaxListenersExceededWarning on the shared signal', async () => {
    const { texts, score } = corpus(scoresFor(30, 3));
    const model = new MockRerankStage({ maxDocumentsPerCall: 1, latencyMs: 5, score });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // Each window adds core's listener and the mock's: 60 on the windows' signal at once.
      const result = await rerank({ model, query: 'q', documents: texts, maxConcurrency: 30 });
      expect(result.ranking).toHaveLength(30);
      expect(model.maxActiveCalls).toBe(30);
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.name)).toEqual([]);
  });

  test('the default concurrency is 4', async () => {
    const { texts, score } = corpus(scoresFor(20, 5));
    const model = new MockRerankStage({ maxDocumentsPerCall: 2, score, latencyMs: 2 });
    await rerank({ model, query: 'q', documents: texts });
    expect(model.maxActiveCalls).toBe(4);
  });

  test('does not mutate deep-frozen inputs across windows', async () => {
    const documents = deepFreeze(
      Array.from({ length: 9 }, (_value, index) => ({
        id: `id-${index}`,
        text: `doc-${index}`,
        metadata: { position: index, tags: ['t'] },
      })),
    );
    const before = structuredClone(documents);
    const scores = scoresFor(9, 2);
    const model = new MockRerankStage({
      maxDocumentsPerCall: 2,
      // Object documents reach score() rendered as `key: value` lines; the text field holds doc-i.
      score: (text) => scores[Number(/\bdoc-(\d+)/.exec(text)?.[1])] as number,
    });
    const result = await rerank({
      model,
      query: 'q',
      documents,
      documentFormat: 'object',
      topN: 4,
    });
    expect(result.ranking.map((entry) => entry.index)).toEqual(
      expectedRanking(scores, 4).map((entry) => entry.index),
    );
    expect(result.ranking[0]?.document).toBe(documents[result.ranking[0]?.index ?? -1]);
    expect(documents).toEqual(before);
  });

  test('sums usage and reports each warning once across windows', async () => {
    const { texts, score } = corpus(scoresFor(10, 4));
    const model = new MockRerankStage({
      maxDocumentsPerCall: 3,
      score,
      extra: (call) => ({
        usage: { searchUnits: 1, inputTokens: 10 },
        warnings: [{ type: 'lossy-input', details: 'flattened' }],
        response: { id: `response-${call}` },
      }),
    });
    const result = await rerank({ model, query: 'q', documents: texts, maxConcurrency: 1 });
    expect(result.usage).toEqual({ searchUnits: 4, inputTokens: 40 });
    expect(result.warnings).toEqual([{ type: 'lossy-input', details: 'flattened' }]);
    expect(result.responses).toEqual([
      { id: 'response-1' },
      { id: 'response-2' },
      { id: 'response-3' },
      { id: 'response-4' },
    ]);
  });

  test('retries a failing window alone', async () => {
    const scores = scoresFor(10, 9);
    const { texts, score } = corpus(scores);
    const model = new MockRerankStage({
      maxDocumentsPerCall: 4,
      score,
      intercept: (call) => {
        if (call === 2) {
          throw new ApiCallError({ message: 'busy', url: 'u', statusCode: 429, retryAfterMs: 0 });
        }
        return undefined;
      },
    });
    const result = await rerank({ model, query: 'q', documents: texts, maxConcurrency: 1 });
    expect(result.ranking).toEqual(expectedRanking(scores));
    expect(result.timings.calls).toBe(4);
    expect(model.calls.map((call) => call.documents.values[0])).toEqual([
      'doc-0',
      'doc-4',
      'doc-4',
      'doc-8',
    ]);
  });

  test('a failing window rejects the call, starts no further window and aborts the running ones', async () => {
    const failure = new ApiCallError({ message: 'bad request', url: 'u', statusCode: 400 });
    const { texts, score } = corpus(scoresFor(30, 6));
    const model = new MockRerankStage({
      maxDocumentsPerCall: 3,
      score,
      latencyMs: 5,
      intercept: (call) => {
        if (call === 1) throw failure;
        return undefined;
      },
    });
    await expect(rerank({ model, query: 'q', documents: texts, maxConcurrency: 2 })).rejects.toBe(
      failure,
    );
    // Give any wrongly scheduled window the chance to start before counting.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(model.calls).toHaveLength(2);
    expect(model.calls[1]?.abortSignal?.aborted).toBe(true);
  });

  test('an abort mid-flight rejects with AbortedError and starts no further window', async () => {
    const controller = new AbortController();
    const { texts, score } = corpus(scoresFor(12, 8));
    const model = new MockRerankStage({
      maxDocumentsPerCall: 3,
      score,
      intercept: (call) => {
        if (call === 2) controller.abort('user left');
        return undefined;
      },
    });
    const error = await rerank({
      model,
      query: 'q',
      documents: texts,
      maxConcurrency: 1,
      abortSignal: controller.signal,
    }).catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).reason).toBe('user left');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(model.calls).toHaveLength(2);
  });

  test('an abort while windows wait in the queue rejects promptly', async () => {
    const controller = new AbortController();
    const { texts, score } = corpus(scoresFor(12, 8));
    const model = new MockRerankStage({ maxDocumentsPerCall: 3, score, latencyMs: 10_000 });
    const promise = rerank({
      model,
      query: 'q',
      documents: texts,
      maxConcurrency: 2,
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 5);
    await expect(promise).rejects.toSatisfy(AbortedError.isInstance);
    expect(model.calls).toHaveLength(2);
    expect(model.calls.every((call) => call.abortSignal?.aborted)).toBe(true);
  });

  test.each([0, -1, 2.5])(
    'rejects a model whose maxDocumentsPerCall is %s',
    async (maxDocumentsPerCall) => {
      // The mock refuses such a limit when built, so a built one is made to declare it: a stage
      // from plain JS could.
      const model = Object.assign(new MockRerankStage(), { maxDocumentsPerCall });
      const error = await rerank({ model, query: 'q', documents: ['a', 'b'] }).catch(
        (caught: unknown) => caught,
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('model.maxDocumentsPerCall');
      expect(model.calls).toEqual([]);
    },
  );

  test('a window with an index out of its own range fails even if it is in the global range', async () => {
    const model = new MockRerankStage({
      maxDocumentsPerCall: 2,
      intercept: () => ({
        ranking: [
          { index: 0, score: 1 },
          { index: 2, score: 0.5 },
        ],
      }),
    });
    await expect(
      rerank({ model, query: 'q', documents: ['a', 'b', 'c', 'd'], maxConcurrency: 1 }),
    ).rejects.toThrow('ranking[1].index must be an integer in [0, 1], got 2.');
  });
});
