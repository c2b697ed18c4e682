import { randomUUID } from 'node:crypto';
import { ApiCallError, MissingSettingError, ModelNotFoundError, rerank } from '@twostage/core';
import { rerankStageTests } from '@twostage/core/testing';
import { type LoopbackServer, readBody, startLoopbackServer } from '@twostage/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createCohere } from '../src/index.js';

/**
 * Does the Cohere adapter reach vLLM's `/v2/rerank` by configuration alone? vLLM answers
 * `{ id, model, usage, results: [{ index, document, relevance_score }] }` with no `meta`, and
 * errors as `{ error: { message, type, param, code } }` (shared/reference/serving-engines.md).
 * The emulator below is the vLLM part of `@twostage/provider-rerank-compatible`'s, cut down to
 * what this file needs (each package type-checks its own files only).
 */
const engineApiKey = 'engine-key-0123456789';
const model = 'BAAI/bge-reranker-v2-m3';

type Recorded = { path: string; headers: Record<string, string>; body: unknown; status?: number };
type Scripted = { status: number; body: unknown; headers?: Record<string, string> };
const requests: Recorded[] = [];
const scripted: Scripted[] = [];
let server: LoopbackServer | undefined;

const words = (text: string) =>
  text
    .normalize('NFC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];
function share(query: string, document: string): number {
  const queryWords = new Set(words(query));
  const documentWords = new Set(words(document));
  let shared = 0;
  for (const word of queryWords) if (documentWords.has(word)) shared++;
  return queryWords.size === 0 ? 0 : shared / queryWords.size;
}

/** vLLM's rerank handler: Bearer auth under /v2, 404 NotFoundError, results sorted, no meta. */
function answer(recorded: Recorded): Scripted {
  const next = scripted.shift();
  if (next !== undefined) return next;
  const match = /^bearer\s+(.+)$/i.exec(recorded.headers.authorization ?? '');
  if (match?.[1] !== engineApiKey) return { status: 401, body: { error: 'Unauthorized' } };
  const body = recorded.body as {
    model?: string;
    query: string;
    documents: string[];
    top_n?: number;
  };
  if (body.model !== undefined && body.model !== model) {
    const message = `The model \`${body.model}\` does not exist.`;
    return {
      status: 404,
      body: { error: { message, type: 'NotFoundError', param: 'model', code: 404 } },
    };
  }
  const results = body.documents
    .map((text, index) => ({
      index,
      document: { text, multi_modal: null },
      relevance_score: share(body.query, text),
    }))
    .sort(
      (left, right) => right.relevance_score - left.relevance_score || left.index - right.index,
    );
  const topN = body.top_n ?? 0;
  return {
    status: 200,
    body: {
      id: `score-${randomUUID()}`,
      model,
      usage: { prompt_tokens: 1, total_tokens: 1 },
      results: topN > 0 && topN < results.length ? results.slice(0, topN) : results,
    },
  };
}

beforeAll(async () => {
  server = await startLoopbackServer(async (request, response) => {
    const raw = await readBody(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
    const recorded: Recorded = {
      path: request.url ?? '',
      headers,
      body: JSON.parse(raw || 'null'),
    };
    requests.push(recorded);
    const reply =
      request.method === 'POST' && recorded.path === '/v2/rerank'
        ? answer(recorded)
        : { status: 404, body: { detail: 'Not Found' } };
    recorded.status = reply.status;
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(JSON.stringify(reply.body));
  });
});
afterAll(async () => {
  await server?.close();
});

const vllm = () => {
  if (server === undefined) throw new Error('the emulator is not running');
  return { url: server.url, requests, script: (...next: Scripted[]) => scripted.push(...next) };
};

beforeEach(() => {
  requests.length = 0;
  scripted.length = 0;
  vi.stubEnv('COHERE_API_KEY', '');
  vi.stubEnv('CO_API_KEY', '');
  vi.stubEnv('COHERE_BASE_URL', '');
});

function cohereOnVllm() {
  return createCohere({ apiKey: engineApiKey, baseUrl: vllm().url, timeoutMs: 10_000 });
}

describe('the Cohere adapter against vLLM /v2/rerank', () => {
  test('accepts the reply without meta: ranking read, no usage, no warnings', async () => {
    const result = await cohereOnVllm()
      .reranker(model)
      .doRerank({
        query: 'repayment fee',
        documents: { type: 'text', values: ['opening hours', 'the repayment fee', 'fee table'] },
        topN: 2,
      });
    expect(vllm().requests.map(({ path, body }) => ({ path, body }))).toEqual([
      {
        path: '/v2/rerank',
        body: {
          model,
          query: 'repayment fee',
          documents: ['opening hours', 'the repayment fee', 'fee table'],
          top_n: 2,
        },
      },
    ]);
    expect(vllm().requests[0]?.headers.authorization).toBe(`Bearer ${engineApiKey}`);
    expect(result.ranking).toEqual([
      { index: 1, score: 1 },
      { index: 2, score: 0.5 },
    ]);
    expect(result.usage).toBeUndefined();
    expect(result.warnings).toBeUndefined();
    expect(result.response?.id).toMatch(/^score-/);
  });

  test('retries a 429 with Retry-After through core', async () => {
    vllm().script({
      status: 429,
      body: { error: { message: 'busy', type: 'TooManyRequests', param: null, code: 429 } },
      headers: { 'retry-after': '0' },
    });
    const result = await rerank({
      model: cohereOnVllm().reranker(model),
      query: 'fee',
      documents: ['hours', 'fee'],
    });
    expect(vllm().requests.map((request) => request.status)).toEqual([429, 200]);
    expect(result.ranking[0]?.index).toBe(1);
  });

  test("reads vLLM's { error: { message } } into the message, but an unknown model stays an ApiCallError", async () => {
    let error: unknown;
    try {
      await cohereOnVllm()
        .reranker('no/such-model')
        .doRerank({ query: 'fee', documents: { type: 'text', values: ['fee'] } });
    } catch (caught) {
      error = caught;
    }
    // mapCohereError reads Cohere's { message } only: vLLM's 404 is not a ModelNotFoundError.
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(ModelNotFoundError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ statusCode: 404, isRetryable: false });
    expect((error as Error).message).toContain('The model `no/such-model` does not exist.');
  });
  test('needs an apiKey even for a vLLM started without --api-key (any value then)', async () => {
    const stage = createCohere({ baseUrl: vllm().url }).reranker(model);
    await expect(
      stage.doRerank({ query: 'fee', documents: { type: 'text', values: ['fee'] } }),
    ).rejects.toThrow(MissingSettingError);
    expect(vllm().requests).toEqual([]);
  });
});

describe('Cohere adapter conformance against vLLM /v2/rerank', () => {
  rerankStageTests(test, () => cohereOnVllm().reranker(model), {
    scoreKind: 'probability',
    semanticRelevance: false,
    unicodeNormalization: true,
    maxTestedDocuments: 2_500,
  });
});
