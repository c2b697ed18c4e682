import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RecordingStage } from './helpers/recording-stage.js';
import { post, startTestServer } from './helpers/start-test-server.js';
import { createSyntheticReranker, type SyntheticReranker } from './helpers/synthetic-reranker.js';

// A bounded loopback load test: a fixed number of requests, held at the model by a gate (no
// timers), so batch composition is decided by the server's rules alone.
let model: SyntheticReranker;
beforeAll(async () => {
  model = await createSyntheticReranker();
});
afterAll(async () => {
  await model?.dispose();
});

const words = ['bank', 'loan', 'rate', 'card', 'fee', 'branch', 'account', 'transfer', 'savings'];
function documentsFor(client: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    Array.from(
      { length: 3 + ((client + index) % 7) },
      (_, word) => words[(client * 5 + index + word) % words.length],
    ).join(' '),
  );
}

type Ranked = { index: number; relevance_score: number };

async function direct(query: string, documents: string[]): Promise<Ranked[]> {
  const result = await model.stage.doRerank({
    query,
    documents: { type: 'text', values: documents },
  });
  return result.ranking.map(({ index, score }) => ({ index, relevance_score: score }));
}

function expectSameRanking(actual: Ranked[], expected: Ranked[]) {
  expect(actual.map(({ index }) => index)).toEqual(expected.map(({ index }) => index));
  actual.forEach((entry, position) => {
    expect(entry.relevance_score).toBeCloseTo(expected[position]?.relevance_score ?? Number.NaN, 6);
  });
}

describe('micro-batching under concurrent load', () => {
  test('32 clients × 50 documents: few model calls, and each response equals a direct call', async () => {
    const stage = new RecordingStage(model.stage);
    const running = await startTestServer({
      reranker: stage,
      warmUp: false,
      batching: { modelConcurrency: 1, windowMs: 0, maxBatchTokens: 1_000_000 },
    });
    try {
      // The first request occupies the only model slot; the other 31 queue behind it.
      stage.close();
      const queries = Array.from({ length: 32 }, (_, client) =>
        client % 2 === 0 ? 'bank loan rate' : `card fee ${client}`,
      );
      const requests = queries.map((query, client) =>
        post(`${running.url}/v2/rerank`, {
          model: 'served',
          query,
          documents: documentsFor(client, 50),
        }),
      );
      await stage.held(1);
      while (running.server.inFlight < 32) await new Promise((resolve) => setImmediate(resolve));
      stage.open();
      const responses = await Promise.all(requests);
      expect(responses.map(({ status }) => status)).toEqual(Array.from({ length: 32 }, () => 200));
      // Batch 1: the first request alone. Batch 2: the other 31, whose 15 requests of
      // 'bank loan rate' share one call; the 16 distinct card queries get one call each.
      expect(stage.calls.length).toBe(1 + 1 + 16);
      const shared = stage.calls.filter((call) => call.query === 'bank loan rate');
      expect(shared.map((call) => call.documents)).toEqual([50, 15 * 50]);
      for (const [client, response] of responses.entries()) {
        const results = (response.body as { results: Ranked[] }).results;
        expectSameRanking(
          results,
          await direct(queries[client] as string, documentsFor(client, 50)),
        );
      }
      const metrics = await post(`${running.url}/metrics`, undefined, { method: 'GET' });
      expect(metrics.text).toContain('twostage_server_model_calls_total 18');
      expect(metrics.text).toContain('twostage_server_pairs_scored_total 1600');
      expect(metrics.text).toMatch(/twostage_server_batch_requests_count 2\b/);
    } finally {
      stage.open();
      await running.server.close();
    }
  }, 60_000);

  test('without micro-batching, each request is its own model call', async () => {
    const stage = new RecordingStage(model.stage);
    const running = await startTestServer({
      reranker: stage,
      warmUp: false,
      batching: { microBatching: false, modelConcurrency: 1 },
    });
    try {
      stage.close();
      const requests = Array.from({ length: 8 }, (_, client) =>
        post(`${running.url}/v2/rerank`, {
          model: 'served',
          query: 'bank loan rate',
          documents: documentsFor(client, 50),
        }),
      );
      await stage.held(1);
      while (running.server.inFlight < 8) await new Promise((resolve) => setImmediate(resolve));
      stage.open();
      const responses = await Promise.all(requests);
      expect(responses.map(({ status }) => status)).toEqual(Array.from({ length: 8 }, () => 200));
      expect(stage.calls.map((call) => call.documents)).toEqual(
        Array.from({ length: 8 }, () => 50),
      );
    } finally {
      stage.open();
      await running.server.close();
    }
  }, 60_000);

  test('past the admission limit: 429 with Retry-After, in the route shape; the held requests still succeed', async () => {
    const stage = new RecordingStage(model.stage);
    const running = await startTestServer({
      reranker: stage,
      warmUp: false,
      limits: { maxConcurrentRequests: 4, retryAfterSeconds: 2 },
      batching: { modelConcurrency: 1 },
    });
    try {
      stage.close();
      const held = Array.from({ length: 4 }, (_, client) =>
        post(`${running.url}/v2/rerank`, {
          model: 'served',
          query: 'q',
          documents: documentsFor(client, 5),
        }),
      );
      await stage.held(1);
      while (running.server.inFlight < 4) await new Promise((resolve) => setImmediate(resolve));
      const refused = await post(`${running.url}/v2/rerank`, {
        model: 'served',
        query: 'q',
        documents: ['a'],
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(refused.body).toEqual({
        id: expect.any(String),
        message: expect.stringMatching(/try again later/),
      });
      const refusedTei = await post(`${running.url}/rerank`, { query: 'q', texts: ['a'] });
      expect(refusedTei.status).toBe(429);
      expect(refusedTei.body).toEqual({ error: expect.any(String), error_type: 'Overloaded' });
      stage.open();
      expect((await Promise.all(held)).map(({ status }) => status)).toEqual([200, 200, 200, 200]);
    } finally {
      stage.open();
      await running.server.close();
    }
  }, 60_000);

  test('past the document budget: 429 while the documents held would exceed it, admitted once they are done', async () => {
    const stage = new RecordingStage(model.stage);
    const running = await startTestServer({
      reranker: stage,
      warmUp: false,
      limits: { maxDocumentsPerRequest: 30, maxConcurrentDocuments: 50 },
      batching: { modelConcurrency: 1 },
    });
    try {
      const info = await post(`${running.url}/info`, undefined, { method: 'GET' });
      // TEI clients (our TEI adapter included) read this as texts in flight.
      expect((info.body as { max_concurrent_requests: number }).max_concurrent_requests).toBe(50);
      stage.close();
      const held = [
        post(`${running.url}/v2/rerank`, {
          model: 'served',
          query: 'q',
          documents: documentsFor(0, 30),
        }),
        post(`${running.url}/rerank`, { query: 'q', texts: documentsFor(1, 15) }),
      ];
      await stage.held(1);
      while (running.server.inFlight < 2) await new Promise((resolve) => setImmediate(resolve));
      // 45 held: 6 more is over 50, 5 is not.
      const refused = await post(`${running.url}/rerank`, {
        query: 'q',
        texts: documentsFor(2, 6),
      });
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        error: expect.stringMatching(
          /holds 45 of its 50 documents already, and this request has 6/,
        ),
        error_type: 'Overloaded',
      });
      const fits = post(`${running.url}/rerank`, { query: 'q', texts: documentsFor(3, 5) });
      while (running.server.inFlight < 3) await new Promise((resolve) => setImmediate(resolve));
      stage.open();
      expect((await Promise.all([...held, fits])).map(({ status }) => status)).toEqual([
        200, 200, 200,
      ]);
      const again = await post(`${running.url}/rerank`, { query: 'q', texts: documentsFor(2, 6) });
      expect(again.status).toBe(200);
    } finally {
      stage.open();
      await running.server.close();
    }
  }, 60_000);

  test('SIGTERM-style drain: in-flight requests finish, new ones and /ready get 503', async () => {
    const stage = new RecordingStage(model.stage);
    const running = await startTestServer({ reranker: stage, warmUp: false });
    stage.close();
    const inFlight = post(`${running.url}/v2/rerank`, {
      model: 'served',
      query: 'q',
      documents: ['a', 'b'],
    });
    await stage.held(1);
    const closing = running.server.close();
    const refused = await post(`${running.url}/v2/rerank`, {
      model: 'served',
      query: 'q',
      documents: ['a'],
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      id: expect.any(String),
      message: 'the server is shutting down',
    });
    const ready = await post(`${running.url}/ready`, undefined, { method: 'GET' });
    expect(ready.status).toBe(503);
    stage.open();
    expect((await inFlight).status).toBe(200);
    await closing;
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  }, 60_000);
});
