import { ApiCallError, retrieve } from '@twostage/core';
import { MockEmbeddingModel } from '@twostage/core/mock';
import { describe, expect, test } from 'vitest';
import { createBm25Retriever } from '../src/bm25-retriever.js';
import { createHybridRetriever } from '../src/hybrid-retriever.js';
import { createVectorRetriever } from '../src/vector-retriever.js';

// One retry layer: a retriever's doRetrieve calls its embedding model's doEmbed once, and the
// retrieve() around it is the only loop that retries — so the caller's maxRetries is exact.

const documents = [
  { id: 'fee', text: 'Repaying a home loan early costs an early repayment fee.' },
  { id: 'card', text: 'Report a lost card in the app; it is blocked within minutes.' },
];

/** A model that answers the first call (the write), then fails every later one with a 503. */
function failingQueries(): MockEmbeddingModel {
  return new MockEmbeddingModel({
    faults: Array.from({ length: 20 }, (_, index) => ({
      call: index + 2,
      error: new ApiCallError({
        message: 'overloaded',
        url: 'mock://embed',
        statusCode: 503,
        retryAfterMs: 1,
      }),
    })),
  });
}

function queryCalls(model: MockEmbeddingModel): number {
  return model.calls.filter((call) => call.inputType === 'query').length;
}

describe('retrieve() over a vector retriever makes exactly maxRetries + 1 query-embedding calls', () => {
  test.each([
    [0, 1],
    [2, 3],
  ])('maxRetries %i → %i calls', async (maxRetries, expected) => {
    const model = failingQueries();
    const retriever = createVectorRetriever({ embeddingModel: model });
    await retriever.add(documents);
    const error = await retrieve({ retriever, query: 'loan fee', maxRetries }).catch(
      (caught: unknown) => caught,
    );
    expect(ApiCallError.isInstance(error) || (error as Error).name === 'RetryError').toBe(true);
    expect(queryCalls(model)).toBe(expected);
  });

  test('the same through a hybrid retriever', async () => {
    const model = failingQueries();
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: model }),
    });
    await retriever.add(documents);
    await retrieve({ retriever, query: 'loan fee', maxRetries: 2 }).catch(() => undefined);
    expect(queryCalls(model)).toBe(3);
  });
});
