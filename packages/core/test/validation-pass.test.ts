import { describe, expect, test, vi } from 'vitest';

// One validation pass per public call: twoStage checks its options once and runs the stages on
// core's internal, already-validated variants of retrieve() and rerank(); a pipeline checks them
// when it is created and not again on each run. Counted at the one integer check they all use.
const checked = vi.hoisted(() => ({ arguments: [] as string[] }));
vi.mock('../src/util/validate-arguments.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/util/validate-arguments.js')>();
  return {
    ...original,
    validateInteger: (value: unknown, argument: string, limits: { min: number }) => {
      checked.arguments.push(argument);
      return original.validateInteger(value, argument, limits);
    },
  };
});

const { createPipeline, twoStage } = await import('../src/index.js');
const { MockRerankStage, MockRetrieveStage } = await import('../src/mock/index.js');

const retriever = new MockRetrieveStage({
  documents: [
    { id: 'fee', text: 'early repayment fee of a home loan' },
    { id: 'card', text: 'report a lost card in the app' },
  ],
});
const reranker = new MockRerankStage();

function countOf(argument: string): number {
  return checked.arguments.filter((name) => name === argument).length;
}

describe('one validation pass per public call', () => {
  test('twoStage checks maxRetries, maxConcurrency and the top-k settings once each', async () => {
    checked.arguments.length = 0;
    const { results } = await twoStage({ query: 'loan fee', retriever, reranker, maxRetries: 1 });
    expect(results[0]?.id).toBe('fee');
    expect(countOf('maxRetries')).toBe(1);
    expect(countOf('maxConcurrency')).toBe(1);
    expect(countOf('retrieveTopK')).toBe(1);
    expect(countOf('rerankTopN')).toBe(1);
    expect(countOf('topK')).toBe(0);
    expect(countOf('topN')).toBe(0);
  });

  test('a pipeline checks its options when created, not on each run; overrides once', async () => {
    checked.arguments.length = 0;
    const pipeline = createPipeline({ retriever, reranker, maxRetries: 1 });
    expect(countOf('maxRetries')).toBe(1);
    await pipeline.run('loan fee');
    await pipeline.run('lost card');
    expect(countOf('maxRetries')).toBe(1);
    await pipeline.run('loan fee', { rerankTopN: 1 });
    expect(countOf('maxRetries')).toBe(2);
    expect(countOf('rerankTopN')).toBe(2);
  });
});
