import { describe, expect, test } from 'vitest';
import {
  InvalidArgumentError,
  InvalidFilterError,
  InvalidResponseError,
  maxFilterDepth,
  rerank,
  retrieve,
  validateFilter,
} from '../src/index.js';
import { MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';
import type { RerankStageV1 } from '../src/spec/v1/index.js';

// Stages and filters that break the contract fail with a typed error at the boundary, never
// with scores that pass through or a RangeError from deep inside (issue 13's bad inputs).

function stageScoring(scoreKind: RerankStageV1['scoreKind'], scores: number[]): RerankStageV1 {
  return {
    specificationVersion: 'v1',
    provider: 'fixed',
    modelId: 'scores',
    maxDocumentsPerCall: undefined,
    scoreKind,
    async doRerank() {
      return { ranking: scores.map((score, index) => ({ index, score })) };
    },
  };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('stages of another contract are refused by name', () => {
  test("a stage with specificationVersion 'v2'", async () => {
    const model = Object.assign(new MockRerankStage(), { specificationVersion: 'v2' });
    const error = await errorOf(rerank({ model, query: 'q', documents: ['a'] }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('model.specificationVersion');
    expect((error as Error).message).toContain("got 'v2'");
  });

  test('a retriever without a specificationVersion', async () => {
    const retriever = Object.assign(new MockRetrieveStage({ documents: [] }), {
      specificationVersion: undefined,
    });
    const error = await errorOf(retrieve({ retriever, query: 'q' }));
    expect((error as InvalidArgumentError).argument).toBe('retriever.specificationVersion');
  });

  test('a rerank stage with an unknown scoreKind', async () => {
    const model = Object.assign(new MockRerankStage(), { scoreKind: 'percent' });
    const error = await errorOf(rerank({ model, query: 'q', documents: ['a'] }));
    expect((error as InvalidArgumentError).argument).toBe('model.scoreKind');
  });
});

describe('scores outside the declared scoreKind are an InvalidResponseError', () => {
  test.each([
    ['probability', [0.2, 7.3], /ranking\[1\]\.score 7\.3 is outside \[0, 1\]/],
    ['probability', [-2, 0.5], /ranking\[0\]\.score -2 is outside \[0, 1\]/],
    ['similarity', [0.1, 1.5], /ranking\[1\]\.score 1\.5 is outside \[-1, 1\]/],
  ] as const)('%s %j', async (scoreKind, scores, message) => {
    const error = await errorOf(
      rerank({ model: stageScoring(scoreKind, [...scores]), query: 'q', documents: ['a', 'b'] }),
    );
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  test('logits are unbounded, and a float32 sigmoid a hair above 1 is accepted', async () => {
    const logits = await rerank({
      model: stageScoring('logit', [7.3, -2]),
      query: 'q',
      documents: ['a', 'b'],
    });
    expect(logits.ranking.map((item) => item.score)).toEqual([7.3, -2]);
    const rounded = await rerank({
      model: stageScoring('probability', [1.0000001, 0]),
      query: 'q',
      documents: ['a', 'b'],
    });
    expect(rounded.ranking[0]?.score).toBe(1.0000001);
  });
});

describe('filters nest at most maxFilterDepth levels', () => {
  function nested(depth: number): unknown {
    let filter: unknown = { year: 2024 };
    for (let level = 1; level < depth; level++) filter = { $and: [filter] };
    return filter;
  }

  test('10,000 levels: an InvalidFilterError, not a RangeError', () => {
    expect(() => validateFilter(nested(10_000))).toThrow(InvalidFilterError);
  });

  test('exactly maxFilterDepth levels pass; one more is refused with its path', () => {
    expect(() => validateFilter(nested(maxFilterDepth))).not.toThrow();
    try {
      validateFilter(nested(maxFilterDepth + 1));
      throw new Error('expected a refusal');
    } catch (error) {
      expect(InvalidFilterError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(`at most ${maxFilterDepth} levels`);
    }
  });
});

describe('a pipeline that cannot return what it was asked for says so', () => {
  test('rerankTopN above retrieveTopK: a warning, and at most retrieveTopK results', async () => {
    const { twoStage } = await import('../src/index.js');
    const retriever = new MockRetrieveStage({
      documents: [
        { id: 'a', text: 'loan fee' },
        { id: 'b', text: 'loan card' },
        { id: 'c', text: 'loan hours' },
      ],
    });
    const result = await twoStage({
      query: 'loan',
      retriever,
      reranker: new MockRerankStage(),
      retrieveTopK: 2,
      rerankTopN: 5,
    });
    expect(result.results).toHaveLength(2);
    expect(result.warnings).toContainEqual({
      type: 'other',
      message:
        "rerankTopN 5 is larger than retrieveTopK 2: stage 2 only reorders stage 1's candidates, so at most 2 results can come back.",
    });
  });
});

describe('lone surrogates are made well-formed, with a warning naming where', () => {
  test('rerank: the query and documents[1] reach the stage with U+FFFD; the inputs are unchanged', async () => {
    const { rerank } = await import('../src/index.js');
    const model = new MockRerankStage();
    const documents = ['loan fee', 'card \uD800 fee', 'hours'];
    const result = await rerank({ model, query: 'fee \uDC00', documents });
    expect(model.calls[0]?.query).toBe('fee \uFFFD');
    expect(model.calls[0]?.documents).toEqual({
      type: 'text',
      values: ['loan fee', 'card \uFFFD fee', 'hours'],
    });
    expect(documents[1]).toBe('card \uD800 fee');
    expect(result.ranking.find((item) => item.index === 1)?.document).toBe('card \uD800 fee');
    expect(result.warnings).toContainEqual({
      type: 'other',
      message:
        'query, documents[1] held lone UTF-16 surrogates (not valid Unicode); each was replaced by U+FFFD before the stage saw it (your inputs are unchanged).',
    });
  });

  test('a well-formed surrogate pair (an emoji) is left alone, without a warning', async () => {
    const { rerank } = await import('../src/index.js');
    const model = new MockRerankStage();
    const result = await rerank({ model, query: 'fee 🙂', documents: ['fee 🙂'] });
    expect(model.calls[0]?.query).toBe('fee 🙂');
    expect(result.warnings).toEqual([]);
  });

  test('retrieve and twoStage: the stage gets the fixed query, the warning comes once', async () => {
    const { retrieve, twoStage } = await import('../src/index.js');
    const retriever = new MockRetrieveStage({ documents: [{ id: 'a', text: 'loan fee' }] });
    const retrieved = await retrieve({ retriever, query: 'loan \uD800' });
    expect(retriever.calls[0]?.query).toBe('loan \uFFFD');
    expect(retrieved.warnings.filter((warning) => warning.type === 'other')).toHaveLength(1);
    const reranker = new MockRerankStage();
    const result = await twoStage({ query: 'loan \uD800', retriever, reranker });
    expect(reranker.calls[0]?.query).toBe('loan \uFFFD');
    const surrogateWarnings = result.warnings.filter(
      (warning) => 'message' in warning && warning.message.includes('lone UTF-16 surrogates'),
    );
    expect(surrogateWarnings).toHaveLength(1);
  });
});
