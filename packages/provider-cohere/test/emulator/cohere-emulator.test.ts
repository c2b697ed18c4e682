import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CohereEmulator, startCohereEmulator } from './cohere-emulator.js';

const apiKey = 'emulator-self-test-key';
let emulator: CohereEmulator;

beforeAll(async () => {
  emulator = await startCohereEmulator({ apiKey });
});
afterAll(async () => {
  await emulator.close();
});

async function post(path: string, body: unknown, key: string | null = apiKey) {
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the Cohere emulator checks itself against the API description', () => {
  test('a request that breaks the description is recorded and answered 599', async () => {
    emulator.reset();
    const answer = await post('/v2/rerank', {
      model: 'rerank-v3.5',
      query: 'q',
      documents: [1, 2],
    });
    expect(answer.status).toBe(599);
    expect(emulator.violations).toHaveLength(1);
    expect(emulator.violations[0]).toMatch(
      /^request to POST \/v2\/rerank: \/documents\/0 must be string/,
    );
  });

  test('a response that breaks the description (an undocumented status) is recorded and answered 599', async () => {
    emulator.reset();
    emulator.script({ type: 'status', status: 418 });
    const answer = await post('/v2/rerank', { model: 'rerank-v3.5', query: 'q', documents: ['a'] });
    expect(answer.status).toBe(599);
    expect(emulator.violations).toEqual([
      'response 418 to POST /v2/rerank: status 418 is not documented for POST /v2/rerank',
    ]);
  });

  test("answers like Cohere: 401 without a key, Cohere's 400s, results sorted with billed units", async () => {
    emulator.reset();
    expect(
      await post('/v2/rerank', { model: 'rerank-v3.5', query: 'q', documents: ['a'] }, null),
    ).toEqual({
      status: 401,
      body: { message: 'no api key supplied' },
    });
    expect(
      await post('/v2/rerank', { model: 'rerank-v3.5', query: ' ', documents: ['a'] }),
    ).toEqual({
      status: 400,
      body: { message: 'invalid request: query must not be empty or be only whitespace' },
    });
    expect(await post('/v2/rerank', { model: 'rerank-v3.5', query: 'q', documents: [] })).toEqual({
      status: 400,
      body: { message: 'invalid request: list of documents must not be empty' },
    });
    const ranked = await post('/v2/rerank', {
      model: 'rerank-v3.5',
      query: 'red apple',
      documents: ['green pear', 'red apple pie', 'red car'],
      top_n: 2,
    });
    expect(ranked.status).toBe(200);
    expect(ranked.body.results).toEqual([
      { index: 1, relevance_score: 1 },
      { index: 2, relevance_score: 0.5 },
    ]);
    expect(ranked.body.meta).toEqual({
      api_version: { version: '2' },
      billed_units: { search_units: 1 },
    });
    expect(emulator.violations).toEqual([]);
  });

  test("bills search units as Cohere does: 100 documents per unit, a long document's chunks counted apart", async () => {
    emulator.reset();
    const unitsFor = async (documents: string[], extra: Record<string, unknown> = {}) => {
      const answer = await post('/v2/rerank', {
        model: 'rerank-v3.5',
        query: 'red apple',
        documents,
        ...extra,
      });
      return (answer.body.meta as { billed_units: { search_units: number } }).billed_units
        .search_units;
    };
    const short = (count: number) => Array.from({ length: count }, (_, index) => `doc ${index}`);
    const long = (wordCount: number) => Array.from({ length: wordCount }, () => 'word').join(' ');
    expect(await unitsFor(short(100))).toBe(1);
    expect(await unitsFor(short(101))).toBe(2);
    // 498 words and the 2-word query make 500 tokens: one chunk, so 100 documents, one unit.
    expect(await unitsFor([...short(99), long(498)])).toBe(1);
    // One word more and that document is two chunks: 101 documents' worth, two units.
    expect(await unitsFor([...short(99), long(499)])).toBe(2);
    // 3 documents of 2,000 words are 5 chunks each (498 document words per chunk).
    expect(await unitsFor([...short(90), long(2_000), long(2_000), long(2_000)])).toBe(2);
    // Truncated to 400 tokens first, each is one chunk again.
    expect(
      await unitsFor([...short(90), long(2_000), long(2_000), long(2_000)], {
        max_tokens_per_doc: 400,
      }),
    ).toBe(1);
    expect(emulator.violations).toEqual([]);
  });
});
