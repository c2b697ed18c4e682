import { Writable } from 'node:stream';
import { ApiCallError, rerank } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { createRerankServer, createServerLogger, type RerankServer } from '@twostage/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTei } from '../src/index.js';

// Step 2 of docs/scaling-stage-2.md: the TEI adapter pointed at `twostage serve`'s TEI routes.
const token = 'serve-token-0123456789abcdef';
let server: RerankServer;
let url: string;

beforeAll(async () => {
  server = createRerankServer({
    reranker: new MockRerankStage({}),
    tokens: [token],
    limits: { maxDocumentsPerRequest: 3 },
    // Request logs go nowhere: the test output stays readable.
    logger: createServerLogger(new Writable({ write: (_chunk, _encoding, done) => done() })),
    warmUp: false,
  });
  url = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close({ timeoutMs: 1_000 });
});

describe('the TEI adapter against twostage serve', () => {
  test('reranks through /rerank, windowed by the server /info limit', async () => {
    const documents = ['hours', 'the annual fee', 'parking', 'fees and the annual fee', 'x'];
    const direct = await rerank({ model: new MockRerankStage({}), query: 'annual fee', documents });
    const served = await rerank({
      model: createTei({ baseUrl: url, apiKey: token }).reranker('served'),
      query: 'annual fee',
      documents,
    });
    expect(served.ranking.map((entry) => [entry.index, entry.score])).toEqual(
      direct.ranking.map((entry) => [entry.index, entry.score]),
    );
  });

  test('a wrong token is a 401 ApiCallError', async () => {
    const error = await createTei({ baseUrl: url, apiKey: 'wrong-token-0123456789abcdef' })
      .reranker('served')
      .doRerank({ query: 'q', documents: { type: 'text', values: ['a'] } })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).statusCode).toBe(401);
  });
});
