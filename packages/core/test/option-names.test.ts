import { describe, expect, test } from 'vitest';
import {
  createPipeline,
  embed,
  embedMany,
  InvalidArgumentError,
  rerank,
  retrieve,
  twoStage,
} from '../src/index.js';
import { MockEmbeddingModel, MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';

// Plain-JavaScript callers have no type checker: a misspelt option must be refused, naming the
// closest valid one, instead of silently running with the default.

const model = new MockRerankStage();
const embeddingModel = new MockEmbeddingModel();
const retriever = new MockRetrieveStage({
  documents: [{ id: 'fee', text: 'early repayment fee of a home loan' }],
});
const reranker = model;

async function refusal(call: () => unknown): Promise<InvalidArgumentError> {
  try {
    await call();
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
    return error as InvalidArgumentError;
  }
  throw new Error('expected the call to be refused');
}

describe('unknown option names are refused with the closest valid one', () => {
  test.each([
    [
      'rerank({ top_n })',
      () => rerank({ model, query: 'q', documents: ['a'], top_n: 1 } as never),
      'top_n',
      'topN',
    ],
    [
      'rerank({ maxretries })',
      () => rerank({ model, query: 'q', documents: ['a'], maxretries: 1 } as never),
      'maxretries',
      'maxRetries',
    ],
    [
      'retrieve({ top_k })',
      () => retrieve({ retriever, query: 'q', top_k: 3 } as never),
      'top_k',
      'topK',
    ],
    [
      'embed({ inputtype })',
      () => embed({ model: embeddingModel, value: 'q', inputtype: 'query' } as never),
      'inputtype',
      'inputType',
    ],
    [
      'embedMany({ timeout })',
      () => embedMany({ model: embeddingModel, values: ['a'], timeoutMS: 5 } as never),
      'timeoutMS',
      'timeoutMs',
    ],
    [
      'twoStage({ topK })',
      () => twoStage({ query: 'q', retriever, reranker, topK: 10 } as never),
      'topK',
      'retrieveTopK',
    ],
    [
      'twoStage({ rerank_top_n })',
      () => twoStage({ query: 'q', retriever, reranker, rerank_top_n: 3 } as never),
      'rerank_top_n',
      'rerankTopN',
    ],
    [
      'createPipeline({ onRerankEror })',
      () => createPipeline({ retriever, reranker, onRerankEror: 'fallback' } as never),
      'onRerankEror',
      'onRerankError',
    ],
    [
      'pipeline.run(q, { filtr })',
      () => createPipeline({ retriever, reranker }).run('q', { filtr: {} } as never),
      'overrides.filtr',
      'filter',
    ],
  ])('%s', async (_name, call, argument, suggestion) => {
    const error = await refusal(call);
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(`did you mean '${suggestion}'?`);
  });

  test('a name like no option gets the list, not a guess', async () => {
    const error = await refusal(() =>
      rerank({ model, query: 'q', documents: ['a'], colour: 'blue' } as never),
    );
    expect(error.message).not.toContain('did you mean');
    expect(error.message).toContain('its options are model, query, documents, topN');
  });

  test('a misspelt option is refused even when its value is undefined', async () => {
    const error = await refusal(() =>
      retrieve({ retriever, query: 'q', namespce: undefined } as never),
    );
    expect(error.argument).toBe('namespce');
  });

  test('every documented option is accepted', async () => {
    const controller = new AbortController();
    const { ranking } = await rerank({
      model,
      query: 'fee',
      documents: ['fee', 'card'],
      topN: 1,
      maxRetries: 0,
      maxConcurrency: 1,
      abortSignal: controller.signal,
      timeoutMs: 5_000,
      headers: { 'x-trace': '1' },
      providerOptions: {},
      documentFormat: 'text',
    });
    expect(ranking.map((item) => item.index)).toEqual([0]);
    const { results } = await twoStage({
      query: 'repayment fee',
      retriever,
      reranker,
      retrieveTopK: 5,
      rerankTopN: 1,
      filter: { id: { $exists: false } },
      namespace: '',
      minScore: 0,
      onRerankError: 'fallback',
      maxRetries: 0,
      maxConcurrency: 1,
      documentFormat: 'text',
      abortSignal: controller.signal,
      timeoutMs: 5_000,
      rerankTimeoutMs: 5_000,
      headers: {},
      providerOptions: {},
    });
    expect(results.map((item) => item.id)).toEqual(['fee']);
  });
});
