import { InvalidArgumentError, rerank } from '@twostage/core';
import { describe, expect, test } from 'vitest';
import { createTei } from '../src/index.js';
import { teiTestApiKey, useTeiEmulator } from './helpers/use-tei-emulator.js';

// A small batch and few permits: 10 texts need 4 windows, at most 2 windows (6 texts) in flight.
const server = useTeiEmulator({
  apiKey: teiTestApiKey,
  maxClientBatchSize: 3,
  maxConcurrentRequests: 7,
});
const documents = Array.from({ length: 10 }, (_, index) =>
  index === 7 ? 'the annual fee is waived' : `opening hours ${index}`,
);

function provider(settings: Record<string, unknown> = {}) {
  return createTei({ baseUrl: server().url, apiKey: teiTestApiKey, ...settings });
}

describe('TEI wire', () => {
  test('sends query and texts, windows by /info max_client_batch_size, and merges indices', async () => {
    const result = await rerank({
      model: provider().reranker('BAAI/bge-reranker-base'),
      query: 'annual fee',
      documents,
      topN: 2,
    });
    expect(result.ranking[0]).toMatchObject({ index: 7, score: 1 });
    expect(result.ranking[1]).toMatchObject({ index: 0, score: 0 });
    const reranks = server().requests.filter((request) => request.path === '/rerank');
    expect(reranks.map((request) => (request.body as { texts: string[] }).texts.length)).toEqual([
      3, 3, 3, 1,
    ]);
    expect(reranks[0]?.body).toEqual({
      query: 'annual fee',
      texts: documents.slice(0, 3),
      raw_scores: false,
      return_text: false,
    });
    expect(reranks[0]?.headers.authorization).toBe(`Bearer ${teiTestApiKey}`);
    expect(server().peakTextsInFlight).toBe(6);
  });

  test('reads GET /info once per provider, one fetch for concurrent first calls', async () => {
    const stage = provider().reranker('BAAI/bge-reranker-base');
    await Promise.all([
      stage.doRerank({ query: 'fee', documents: { type: 'text', values: ['fee'] } }),
      stage.doRerank({ query: 'fee', documents: { type: 'text', values: ['hours'] } }),
    ]);
    await stage.doRerank({ query: 'fee', documents: { type: 'text', values: ['fee'] } });
    expect(server().requests.filter((request) => request.path === '/info')).toHaveLength(1);
  });

  test('maxDocumentsPerCall and maxConcurrentTexts set skip GET /info', async () => {
    const stage = provider({ maxDocumentsPerCall: 2, maxConcurrentTexts: 2 }).reranker('m');
    expect(stage.maxDocumentsPerCall).toBe(2);
    const result = await stage.doRerank({
      query: 'fee',
      documents: { type: 'text', values: ['hours', 'fee'] },
    });
    expect(result.ranking).toEqual([
      { index: 1, score: 1 },
      { index: 0, score: 0 },
    ]);
    expect(server().requests.map((request) => request.path)).toEqual(['/rerank']);
  });

  test('rawScores asks for logits and makes the stage a logit stage', async () => {
    const stage = provider().reranker('m', {
      rawScores: true,
      truncate: false,
      truncationDirection: 'left',
    });
    expect(stage.scoreKind).toBe('logit');
    const result = await stage.doRerank({
      query: 'fee',
      documents: { type: 'text', values: ['fee'] },
    });
    expect(result.ranking).toEqual([{ index: 0, score: 4 }]);
    expect(server().requests.at(-1)?.body).toMatchObject({
      raw_scores: true,
      truncate: false,
      truncation_direction: 'Left',
    });
  });

  test('TEI_BASE_URL and TEI_API_KEY are read at call time', async () => {
    const stage = createTei().reranker('m');
    process.env.TEI_BASE_URL = server().url;
    process.env.TEI_API_KEY = teiTestApiKey;
    const result = await stage.doRerank({
      query: 'fee',
      documents: { type: 'text', values: ['fee'] },
    });
    expect(result.ranking).toEqual([{ index: 0, score: 1 }]);
  });

  test('unknown option names are typed errors', () => {
    expect(() => createTei({ baseURL: 'http://x' } as never)).toThrow(InvalidArgumentError);
    expect(() => provider().reranker('m', { raw_scores: true } as never)).toThrow(
      InvalidArgumentError,
    );
    expect(() => createTei({ baseUrl: 'ftp://tei' })).toThrow(InvalidArgumentError);
    expect(() => createTei({ maxDocumentsPerCall: 0 })).toThrow(InvalidArgumentError);
    expect(() => provider().reranker(' ')).toThrow(InvalidArgumentError);
  });

  test('unknown per-call provider options reject with a typed error', async () => {
    await expect(
      provider()
        .reranker('m')
        .doRerank({
          query: 'fee',
          documents: { type: 'text', values: ['fee'] },
          providerOptions: { tei: { topN: 1 } },
        }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
