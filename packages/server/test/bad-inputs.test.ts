import { MockRerankStage } from '@twostage/core/mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { post, startTestServer, type TestServer } from './helpers/start-test-server.js';

let running: TestServer;
beforeAll(async () => {
  running = await startTestServer({
    reranker: new MockRerankStage(),
    limits: { maxDocumentsPerRequest: 3, maxBodyBytes: 2_000, maxTokensPerDocument: 8 },
  });
});
afterAll(async () => {
  await running?.server.close();
});

type Case = {
  name: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  token?: string | null;
  method?: string;
};

const cohereCases: (Case & { status: number; message: RegExp })[] = [
  { name: 'malformed JSON', raw: '{"query": ', status: 400, message: /not valid JSON/ },
  { name: 'a body that is not an object', body: [1, 2], status: 400, message: /JSON object/ },
  {
    name: 'query of the wrong type',
    body: { model: 'm', query: 3, documents: ['a'] },
    status: 400,
    message: /query must be a string/,
  },
  {
    name: 'missing query',
    body: { model: 'm', documents: ['a'] },
    status: 400,
    message: /query is required/,
  },
  {
    name: 'blank query',
    body: { model: 'm', query: '  ', documents: ['a'] },
    status: 400,
    message: /must not be empty/,
  },
  {
    name: 'empty documents',
    body: { model: 'm', query: 'q', documents: [] },
    status: 400,
    message: /must not be empty/,
  },
  {
    name: 'documents not an array',
    body: { model: 'm', query: 'q', documents: 'a' },
    status: 400,
    message: /must be an array/,
  },
  {
    name: 'too many documents',
    body: { model: 'm', query: 'q', documents: ['a', 'b', 'c', 'd'] },
    status: 400,
    message: /limit of 3/,
  },
  {
    name: 'a document that is not a string',
    body: { model: 'm', query: 'q', documents: ['a', 7] },
    status: 400,
    message: /documents\[1\] must be a string/,
  },
  {
    name: 'missing model',
    body: { query: 'q', documents: ['a'] },
    status: 400,
    message: /model parameter is required/,
  },
  {
    name: 'an unknown field',
    body: { model: 'm', query: 'q', documents: ['a'], topN: 1 },
    status: 400,
    message: /unknown field 'topN'/,
  },
  {
    name: 'top_n of zero',
    body: { model: 'm', query: 'q', documents: ['a'], top_n: 0 },
    status: 400,
    message: /top_n must be an integer/,
  },
  {
    name: 'an oversized body',
    body: { model: 'm', query: 'q', documents: ['x'.repeat(3_000)] },
    status: 413,
    message: /larger than 2000 bytes/,
  },
  {
    name: 'a non-JSON content type',
    raw: '<query/>',
    contentType: 'application/xml',
    status: 415,
    message: /Content-Type/,
  },
  {
    name: 'missing auth',
    body: { model: 'm', query: 'q', documents: ['a'] },
    token: null,
    status: 401,
    message: /no api key supplied/,
  },
  {
    name: 'a wrong token',
    body: { model: 'm', query: 'q', documents: ['a'] },
    token: 'nope',
    status: 401,
    message: /invalid api token/,
  },
  { name: 'a wrong method', method: 'GET', status: 405, message: /use POST/ },
];

describe('Cohere /v2/rerank: each bad input gets { id, message } and its status', () => {
  for (const { name, status, message, body, ...options } of cohereCases) {
    test(name, async () => {
      const response = await post(`${running.url}/v2/rerank`, body, options);
      expect(response.status).toBe(status);
      const error = response.body as { id: unknown; message: string };
      expect(Object.keys(error).sort()).toEqual(['id', 'message']);
      expect(typeof error.id).toBe('string');
      expect(error.message).toMatch(message);
    });
  }
});

const teiCases: (Case & { status: number; errorType: string; message: RegExp })[] = [
  {
    name: 'malformed JSON',
    raw: '{"texts": [',
    status: 400,
    errorType: 'Validation',
    message: /not valid JSON/,
  },
  {
    name: 'texts of the wrong type',
    body: { query: 'q', texts: 'a' },
    status: 422,
    errorType: 'Validation',
    message: /must be an array/,
  },
  {
    name: 'missing query',
    body: { texts: ['a'] },
    status: 422,
    errorType: 'Validation',
    message: /query is required/,
  },
  {
    name: 'empty texts',
    body: { query: 'q', texts: [] },
    status: 400,
    errorType: 'Empty',
    message: /must not be empty/,
  },
  {
    name: 'too many texts',
    body: { query: 'q', texts: ['a', 'b', 'c', 'd'] },
    status: 422,
    errorType: 'Validation',
    message: /limit of 3/,
  },
  {
    name: 'a text that is not a string',
    body: { query: 'q', texts: [null] },
    status: 422,
    errorType: 'Validation',
    message: /texts\[0\] must be a string/,
  },
  {
    name: 'a long text with truncate false',
    body: { query: 'q', texts: ['x'.repeat(40)], truncate: false },
    status: 422,
    errorType: 'Validation',
    message: /truncate is false/,
  },
  {
    name: 'an oversized body',
    body: { query: 'q', texts: ['x'.repeat(3_000)] },
    status: 413,
    errorType: 'Validation',
    message: /larger than/,
  },
  {
    name: 'missing auth',
    body: { query: 'q', texts: ['a'] },
    token: null,
    status: 401,
    errorType: 'Unauthorized',
    message: /no api key/,
  },
  {
    name: 'a wrong token',
    body: { query: 'q', texts: ['a'] },
    token: 'nope',
    status: 401,
    errorType: 'Unauthorized',
    message: /invalid api token/,
  },
];

describe('TEI /rerank: each bad input gets { error, error_type } and its status', () => {
  for (const { name, status, errorType, message, body, ...options } of teiCases) {
    test(name, async () => {
      const response = await post(`${running.url}/rerank`, body, options);
      expect(response.status).toBe(status);
      expect(response.body).toEqual({
        error: expect.stringMatching(message),
        error_type: errorType,
      });
    });
  }

  test('an unknown route is 404 in the TEI shape', async () => {
    const response = await post(`${running.url}/no/such/route`, {});
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: 'no route POST /no/such/route',
      error_type: 'NotFound',
    });
  });

  test('a long text with truncation on is scored, and returned as sent', async () => {
    const response = await post(`${running.url}/rerank`, {
      query: 'q',
      texts: ['x'.repeat(40), 'q'],
      return_text: true,
    });
    expect(response.status).toBe(200);
    const texts = (response.body as { index: number; text: string }[]).map(({ index, text }) => [
      index,
      text,
    ]);
    expect(texts).toContainEqual([0, 'x'.repeat(40)]);
  });
});

describe('the process survives every bad input', () => {
  test('after all of them, a good request is answered', async () => {
    const response = await post(`${running.url}/v2/rerank`, {
      model: 'm',
      query: 'bank loan',
      documents: ['weather', 'bank loan rate'],
      top_n: 1,
    });
    expect(response.status).toBe(200);
    expect((response.body as { results: unknown[] }).results).toEqual([
      { index: 1, relevance_score: expect.any(Number) },
    ]);
  });

  test('tokens never reach the log', async () => {
    await post(
      `${running.url}/v2/rerank`,
      { model: 'm', query: 'q', documents: ['a'] },
      { token: 'secret-wrong-token' },
    );
    const log = JSON.stringify(running.logLines());
    expect(log).not.toContain('secret-wrong-token');
    expect(log).not.toContain('test-token-0123456789');
    expect(running.logLines().some((line) => line.msg === 'request' && line.status === 401)).toBe(
      true,
    );
  });
});
