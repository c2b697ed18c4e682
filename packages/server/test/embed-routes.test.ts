import { MockEmbeddingModel, MockRerankStage } from '@twostage/core/mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { post, startTestServer, type TestServer } from './helpers/start-test-server.js';

const embeddingModel = new MockEmbeddingModel({ dimensions: 16 });
let withModel: TestServer;
let without: TestServer;
beforeAll(async () => {
  withModel = await startTestServer({ reranker: new MockRerankStage(), embeddingModel });
  without = await startTestServer({ reranker: new MockRerankStage() });
});
afterAll(async () => {
  await withModel?.server.close();
  await without?.server.close();
});

async function direct(texts: string[], inputType: 'query' | 'document') {
  const result = await embeddingModel.doEmbed({ values: texts, inputType });
  return result.embeddings.map((vector) => Array.from(vector));
}

describe('embed routes', () => {
  test('Cohere /v2/embed returns the model vectors as embeddings.float, in order', async () => {
    const texts = ['bank loan rate', 'weather today'];
    const response = await post(`${withModel.url}/v2/embed`, {
      model: 'served',
      texts,
      input_type: 'search_query',
      embedding_types: ['float'],
    });
    expect(response.status).toBe(200);
    const body = response.body as { embeddings: { float: number[][] }; texts: string[] };
    expect(body.texts).toEqual(texts);
    const expected = await direct(texts, 'query');
    body.embeddings.float.forEach((vector, index) => {
      vector.forEach((value, dimension) => {
        expect(value).toBeCloseTo(expected[index]?.[dimension] ?? Number.NaN, 6);
      });
    });
  });

  test('TEI /embed takes one string and returns unit vectors', async () => {
    const response = await post(`${withModel.url}/embed`, { inputs: 'bank loan rate' });
    expect(response.status).toBe(200);
    const [vector] = response.body as number[][];
    const norm = Math.hypot(...(vector ?? []));
    expect(norm).toBeCloseTo(1, 6);
  });

  test('int8 embedding types are refused in the Cohere shape', async () => {
    const response = await post(`${withModel.url}/v2/embed`, {
      texts: ['a'],
      embedding_types: ['int8'],
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      id: expect.any(String),
      message: expect.stringMatching(/'float' embeddings only/),
    });
  });

  test('without an embedding model: 404 (Cohere) and 424 Backend (TEI)', async () => {
    const cohere = await post(`${without.url}/v2/embed`, { texts: ['a'] });
    expect(cohere.status).toBe(404);
    expect(cohere.body).toEqual({
      id: expect.any(String),
      message: expect.stringMatching(/--embedding-model/),
    });
    const tei = await post(`${without.url}/embed`, { inputs: ['a'] });
    expect(tei.status).toBe(424);
    expect(tei.body).toEqual({
      error: expect.stringMatching(/no embedding model/),
      error_type: 'Backend',
    });
  });

  test('/info reports the models and limits in TEI shape; /health and /ready are open', async () => {
    const info = await post(`${withModel.url}/info`, undefined, { method: 'GET' });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      model_id: 'mock-reranker',
      max_client_batch_size: 1000,
      max_concurrent_requests: 8192,
      embedding_model_id: embeddingModel.modelId,
    });
    const unauthorizedInfo = await post(`${withModel.url}/info`, undefined, {
      method: 'GET',
      token: null,
    });
    expect(unauthorizedInfo.status).toBe(401);
    expect(
      (await post(`${withModel.url}/health`, undefined, { method: 'GET', token: null })).body,
    ).toEqual({ status: 'ok' });
    expect(
      (await post(`${withModel.url}/ready`, undefined, { method: 'GET', token: null })).body,
    ).toEqual({ status: 'ready' });
  });
});
