import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiCallError, createPipeline, type RerankStageV1 } from '@twostage/core';
import { createBm25Retriever } from '@twostage/embedded';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAppPipeline } from './create-app-pipeline.js';
import { createAskServer } from './create-ask-server.js';

/** Starts `server` on a free loopback port and returns its base URL. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A GET bounded in time, so a hung server fails the test instead of stalling it. */
async function get(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

type AskBody = {
  query: string;
  results: { id: string; text: string; rerankScore: number | null; retrieveRank: number }[];
  degraded: boolean;
  timings: { retrieveMs: number; rerankMs: number; totalMs: number };
};

describe('GET /ask over the bank-policies corpus (BM25 + the mock reranker)', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const { pipeline } = await createAppPipeline({});
    server = createAskServer({ pipeline });
    base = await listen(server);
  });

  afterAll(async () => {
    await close(server);
  });

  test('answers with the re-ranked passages, sorted on the rerank score, as JSON', async () => {
    const { status, body } = await get(
      `${base}/ask?q=${encodeURIComponent('early loan repayment penalty')}`,
    );
    expect(status).toBe(200);
    const answer = body as unknown as AskBody;
    expect(answer.query).toBe('early loan repayment penalty');
    expect(answer.degraded).toBe(false);
    expect(answer.results.length).toBe(5);
    const scores = answer.results.map((item) => item.rerankScore ?? Number.NaN);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
    expect(answer.results.every((item) => item.retrieveRank >= 1)).toBe(true);
    expect(answer.results[0]?.text.toLowerCase()).toMatch(/repay|early|penalt/);
    expect(answer.timings.totalMs).toBeGreaterThanOrEqual(answer.timings.retrieveMs);
  });

  test('top=<n> chooses how many results come back', async () => {
    const { status, body } = await get(`${base}/ask?q=card%20fee&top=2`);
    expect(status).toBe(200);
    expect((body as unknown as AskBody).results).toHaveLength(2);
  });

  test('bad requests get a 4xx with a JSON error that says what to send', async () => {
    expect(await get(`${base}/ask`)).toEqual({
      status: 400,
      body: { error: 'the question is missing: GET /ask?q=<question>' },
    });
    expect(await get(`${base}/ask?q=fees&top=0`)).toEqual({
      status: 400,
      body: { error: 'top must be an integer from 1 to 20' },
    });
    expect(await get(`${base}/ask?q=${'x'.repeat(1001)}`)).toEqual({
      status: 400,
      body: { error: 'the question is longer than 1000 characters' },
    });
    expect(await get(`${base}/search?q=fees`)).toEqual({
      status: 404,
      body: { error: 'no route /search: use GET /ask?q=<question>' },
    });
    expect(await get(`${base}/ask?q=fees`, { method: 'POST' })).toEqual({
      status: 405,
      body: { error: 'POST is not allowed: use GET /ask?q=<question>' },
    });
    expect(await get(`${base}/health`)).toEqual({ status: 200, body: { ok: true } });
  });
});

describe('a failing stage', () => {
  test('is a 502 with the stage error, and the server keeps serving', async () => {
    const retriever = createBm25Retriever();
    await retriever.add([{ id: 'a', text: 'early repayment fee' }]);
    const broken: RerankStageV1 = {
      specificationVersion: 'v1',
      provider: 'broken',
      modelId: 'always-down',
      scoreKind: 'probability',
      maxDocumentsPerCall: undefined,
      doRerank: async () => {
        throw new ApiCallError({
          message: 'the reranker is down',
          url: 'http://reranker.invalid',
          isRetryable: false,
        });
      },
    };
    const server = createAskServer({
      pipeline: createPipeline({ retriever, reranker: broken, retrieveTopK: 5 }),
    });
    const base = await listen(server);
    try {
      const first = await get(`${base}/ask?q=early%20fee`);
      expect(first.status).toBe(502);
      expect(String(first.body.error)).toContain('the reranker is down');
      expect(await get(`${base}/health`)).toEqual({ status: 200, body: { ok: true } });
    } finally {
      await close(server);
    }
  });
});
