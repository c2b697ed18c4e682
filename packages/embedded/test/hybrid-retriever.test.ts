import { InvalidArgumentError, InvalidFilterError } from '@twostage/core';
import { MockEmbeddingModel } from '@twostage/core/mock';
import { describe, expect, test } from 'vitest';
import {
  createBm25Retriever,
  createHybridRetriever,
  createVectorRetriever,
  fuseRankings,
} from '../src/index.js';

const candidate = (id: string, score = 0) => ({ id, text: id, score });

describe('fuseRankings (reciprocal rank fusion)', () => {
  test('sums weight / (k + rank) over the lists', () => {
    const fused = fuseRankings(
      [
        { candidates: [candidate('a'), candidate('b'), candidate('c')], weight: 1 },
        { candidates: [candidate('c'), candidate('a')], weight: 2 },
      ],
      60,
      10,
    );
    expect(fused.map(({ id, score }) => [id, score])).toEqual([
      ['c', 1 / 63 + 2 / 61],
      ['a', 1 / 61 + 2 / 62],
      ['b', 1 / 62],
    ]);
  });

  test('ties go to the better single rank, then to the id', () => {
    const fused = fuseRankings(
      [
        { candidates: [candidate('x'), candidate('y')], weight: 1 },
        { candidates: [candidate('z'), candidate('w')], weight: 1 },
      ],
      0,
      3,
    );
    expect(fused.map(({ id }) => id)).toEqual(['x', 'z', 'w']);
  });
});

describe('hybrid retriever', () => {
  async function hybrid(options: { weights?: { lexical?: number; vector?: number } } = {}) {
    const model = new MockEmbeddingModel({ dimensions: 64 });
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: model }),
      ...options,
    });
    await retriever.add([
      { id: 'code', text: 'Product SKU-4471-B ships in two days', metadata: { kind: 'product' } },
      { id: 'fee', text: 'The early repayment fee is two percent', metadata: { kind: 'policy' } },
      {
        id: 'card',
        text: 'Annual card fee waived in the first year',
        metadata: { kind: 'policy' },
      },
    ]);
    return { retriever, model };
  }

  test('fuses both sides: the scores are RRF values of the two rankings', async () => {
    const { retriever } = await hybrid();
    const options = { query: 'early repayment fee', topK: 3 };
    const lexical = await retriever.lexical.doRetrieve({ ...options, topK: 6 });
    const vector = await retriever.vector.doRetrieve({ ...options, topK: 6 });
    const expected = fuseRankings(
      [
        { candidates: lexical.candidates, weight: 1 },
        { candidates: vector.candidates, weight: 1 },
      ],
      60,
      3,
    );
    const { candidates } = await retriever.doRetrieve(options);
    expect(candidates).toEqual(expected);
    expect(candidates[0]?.id).toBe('fee');
  });

  test('an exact product code is found through the lexical side', async () => {
    const { retriever } = await hybrid();
    const { candidates } = await retriever.doRetrieve({ query: 'SKU-4471-B', topK: 1 });
    expect(candidates.map(({ id }) => id)).toEqual(['code']);
  });

  test('documents are embedded once and written to both sides', async () => {
    const { retriever, model } = await hybrid();
    expect(model.calls.map((call) => [call.inputType, call.values.length])).toEqual([
      ['document', 3],
    ]);
    expect(retriever.size()).toBe(3);
    expect(retriever.lexical.size()).toBe(3);
    expect(retriever.vector.size()).toBe(3);
    await retriever.upsert([{ id: 'fee', text: 'No early repayment fee' }]);
    expect(retriever.get('fee')?.text).toBe('No early repayment fee');
    expect(retriever.vector.get('fee')?.text).toBe('No early repayment fee');
    expect(await retriever.delete(['code'])).toBe(1);
    expect(retriever.lexical.get('code')).toBeUndefined();
    expect(retriever.vector.get('code')).toBeUndefined();
    await expect(retriever.add([{ id: 'card', text: 'x' }])).rejects.toThrow(InvalidArgumentError);
  });

  test('a zero weight turns a side off', async () => {
    const { retriever } = await hybrid({ weights: { vector: 0 } });
    const { candidates } = await retriever.doRetrieve({ query: 'fee', topK: 3 });
    const lexical = await retriever.lexical.doRetrieve({ query: 'fee', topK: 3 });
    expect(candidates.map(({ id }) => id)).toEqual(lexical.candidates.map(({ id }) => id));
  });

  test('filters apply to both sides, and a malformed one rejects before any work', async () => {
    const { retriever, model } = await hybrid();
    const { candidates } = await retriever.doRetrieve({
      query: 'fee',
      topK: 3,
      filter: { kind: 'product' },
    });
    expect(candidates.map(({ id }) => id)).toEqual(['code']);
    const calls = model.calls.length;
    await expect(
      retriever.doRetrieve({ query: 'fee', topK: 3, filter: { kind: { $in: 'x' } } }),
    ).rejects.toThrow(InvalidFilterError);
    expect(model.calls.length).toBe(calls);
  });

  test('invalid settings are rejected', () => {
    const vector = createVectorRetriever({ embeddingModel: new MockEmbeddingModel() });
    expect(() => createHybridRetriever({ lexical: createBm25Retriever(), vector, k: -1 })).toThrow(
      /'k'/,
    );
    expect(() =>
      createHybridRetriever({ lexical: createBm25Retriever(), vector, weights: { lexical: -1 } }),
    ).toThrow(/weights.lexical/);
    expect(() => createHybridRetriever({ lexical: vector as never, vector })).toThrow(/lexical/);
  });
});
