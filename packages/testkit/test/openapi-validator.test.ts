import { describe, expect, test } from 'vitest';
import { OpenApiValidator } from '../src/openapi-validator.js';

describe('OpenApiValidator on Cohere (OpenAPI 3.1)', () => {
  const cohere = new OpenApiValidator('cohere-openapi.yaml');

  test('accepts the rerank request the SDK sends and rejects one without documents', () => {
    const valid = { model: 'rerank-v3.5', query: 'q', documents: ['a', 'b'], top_n: 2 };
    expect(cohere.validateRequest('POST', '/v2/rerank', valid)).toEqual({ ok: true });
    const invalid = cohere.validateRequest('POST', '/v2/rerank', { model: 'm', query: 'q' });
    expect(invalid.ok).toBe(false);
    expect(JSON.stringify(invalid)).toContain('documents');
  });

  test('checks responses per status, and refuses an undocumented status', () => {
    const ok = {
      id: 'x',
      results: [{ index: 0, relevance_score: 0.5 }],
      meta: { billed_units: { search_units: 1 } },
    };
    expect(cohere.validateResponse('POST', '/v2/rerank', 200, ok)).toEqual({ ok: true });
    const badScore = { results: [{ index: 0, relevance_score: 'high' }] };
    expect(cohere.validateResponse('POST', '/v2/rerank', 200, badScore).ok).toBe(false);
    expect(cohere.validateResponse('POST', '/v2/rerank', 429, { message: 'slow down' })).toEqual({
      ok: true,
    });
    expect(cohere.validateResponse('POST', '/v2/rerank', 418, {}).ok).toBe(false);
  });
});

describe('OpenApiValidator on Pinecone (OpenAPI 3.0)', () => {
  const data = new OpenApiValidator('pinecone-db_data_2026-04.oas.yaml');
  const control = new OpenApiValidator('pinecone-db_control_2026-04.oas.yaml');

  test('matches templated paths and validates a query request', () => {
    expect(control.matchPath('GET', '/indexes/my-index')).toBe('/indexes/{index_name}');
    expect(data.validateRequest('POST', '/query', { topK: 5, vector: [0.1, 0.2] })).toEqual({
      ok: true,
    });
    expect(data.validateRequest('POST', '/query', { topK: 'five', vector: [0.1] }).ok).toBe(false);
  });
});
