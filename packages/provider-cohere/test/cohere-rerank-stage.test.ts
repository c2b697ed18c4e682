import { describe, expect, test } from 'vitest';
import { createCohere } from '../src/index.js';
import { startCohereEmulator } from './emulator/cohere-emulator.js';
import { emulatorApiKey, useCohereEmulator } from './helpers/use-cohere-emulator.js';

const emulator = useCohereEmulator();

const query = 'early repayment fee home loan';
const documents = [
  'Branches open at 8 am on weekdays.',
  'Repaying a home loan early costs an early repayment fee of 2%.',
  'A home loan needs a deposit of 20%.',
  'Savings accounts earn interest monthly.',
];

function stage(modelId = 'rerank-v3.5', options = {}) {
  return createCohere({
    apiKey: emulatorApiKey,
    baseUrl: emulator().url,
    timeoutMs: 10_000,
  }).reranker(modelId, options);
}

describe('cohere rerank stage on the wire', () => {
  test('declares what core needs to window and read its scores', () => {
    const reranker = stage('rerank-multilingual-v3.0');
    expect({
      specificationVersion: reranker.specificationVersion,
      provider: reranker.provider,
      modelId: reranker.modelId,
      maxDocumentsPerCall: reranker.maxDocumentsPerCall,
      scoreKind: reranker.scoreKind,
    }).toEqual({
      specificationVersion: 'v1',
      provider: 'cohere',
      modelId: 'rerank-multilingual-v3.0',
      maxDocumentsPerCall: 1000,
      scoreKind: 'probability',
    });
  });

  test("sends the v2 request in Cohere's wire names, with the key as a Bearer token", async () => {
    const result = await stage().doRerank({
      query,
      documents: { type: 'text', values: documents },
      topN: 2,
    });

    const [request] = emulator().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v2/rerank');
    expect(request?.rawBody).toBe(
      JSON.stringify({ model: 'rerank-v3.5', query, documents, top_n: 2 }),
    );
    expect(request?.headers.authorization).toBe(`Bearer ${emulatorApiKey}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.accept).toBe('application/json');
    // The emulator scores word overlap: document 1 holds all five query words, document 2 two of them.
    expect(result.ranking).toEqual([
      { index: 1, score: 1 },
      { index: 2, score: 0.4 },
    ]);
  });

  test('reports billed search units and the request id', async () => {
    const result = await stage().doRerank({
      query,
      documents: {
        type: 'text',
        values: Array.from({ length: 250 }, (_, index) => `doc ${index} loan`),
      },
    });
    expect(result.usage).toEqual({ searchUnits: 3 });
    expect(result.response?.id).toBe(emulator().requests[0]?.responseId);
    expect(result.response?.modelId).toBe('rerank-v3.5');
    expect(result.ranking.map((entry) => entry.index).sort((left, right) => left - right)).toEqual(
      Array.from({ length: 250 }, (_, index) => index),
    );
  });

  test("billed search units count a long document's chunks, and maxTokensPerDoc lowers them", async () => {
    // 50 documents of 1,200 words with a 5-word query: 3 chunks each (495 document words per
    // chunk), 150 chunks, 2 search units; cut to 400 tokens, one chunk each, 1 unit.
    const long = Array.from({ length: 50 }, (_, index) =>
      Array.from({ length: 1_200 }, (_, word) => `w${index}x${word}`).join(' '),
    );
    const full = await stage().doRerank({ query, documents: { type: 'text', values: long } });
    const cut = await stage('rerank-v3.5', { maxTokensPerDoc: 400 }).doRerank({
      query,
      documents: { type: 'text', values: long },
    });
    expect(full.usage).toEqual({ searchUnits: 2 });
    expect(cut.usage).toEqual({ searchUnits: 1 });
  });

  test('sends maxTokensPerDoc and priority from the defaults, overridden per call', async () => {
    const reranker = stage('rerank-v3.5', { maxTokensPerDoc: 512, priority: 5 });
    await reranker.doRerank({ query, documents: { type: 'text', values: documents } });
    await reranker.doRerank({
      query,
      documents: { type: 'text', values: documents },
      providerOptions: { cohere: { priority: 900 } },
    });
    const [first, second] = emulator().requests;
    expect(first?.body).toEqual({
      model: 'rerank-v3.5',
      query,
      documents,
      max_tokens_per_doc: 512,
      priority: 5,
    });
    expect(second?.body).toEqual({
      model: 'rerank-v3.5',
      query,
      documents,
      max_tokens_per_doc: 512,
      priority: 900,
    });
  });

  test('rejects out-of-range options before sending anything', async () => {
    await expect(
      stage().doRerank({
        query,
        documents: { type: 'text', values: documents },
        providerOptions: { cohere: { priority: 1000 } },
      }),
    ).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'providerOptions.cohere.priority',
    });
    expect(() => stage('rerank-v3.5', { rankFields: [] })).toThrow(/rankFields/);
    expect(emulator().requests).toEqual([]);
  });

  test('renders object documents as key: value lines, restricted to rankFields, and warns', async () => {
    const values = [
      { title: 'Fees', text: 'Early repayment costs 2%.', year: 2024, tags: ['loan', 'fee'] },
      { title: 'Hours', text: 'Open at 8 am.\nClosed on Sunday.', year: 2023 },
    ];
    const all = await stage().doRerank({
      query: 'repayment',
      documents: { type: 'object', values },
    });
    const picked = await stage('rerank-v3.5', { rankFields: ['text', 'title'] }).doRerank({
      query: 'repayment',
      documents: { type: 'object', values },
    });

    const [first, second] = emulator().requests;
    expect((first?.body as { documents: string[] } | undefined)?.documents).toEqual([
      'title: Fees\ntext: Early repayment costs 2%.\nyear: 2024\ntags: ["loan","fee"]',
      'title: Hours\ntext: |-\n  Open at 8 am.\n  Closed on Sunday.\nyear: 2023',
    ]);
    expect((second?.body as { documents: string[] } | undefined)?.documents).toEqual([
      'text: Early repayment costs 2%.\ntitle: Fees',
      'text: |-\n  Open at 8 am.\n  Closed on Sunday.\ntitle: Hours',
    ]);
    expect(all.warnings).toEqual([
      {
        type: 'lossy-input',
        details:
          "Cohere's v2 rerank accepts text only: object documents were rendered as YAML-like 'key: value' lines (every field).",
      },
    ]);
    expect(picked.warnings).toEqual([
      {
        type: 'lossy-input',
        details:
          "Cohere's v2 rerank accepts text only: object documents were rendered as YAML-like 'key: value' lines of the fields text, title; left out: year, tags.",
      },
    ]);
    expect(all.ranking[0]?.index).toBe(0);
  });

  test("passes Cohere's own notices on as warnings (meta.warnings, a deprecated API version)", async () => {
    const notice = "model 'rerank-english-v3.0' is deprecated and will be removed; use rerank-v3.5";
    emulator().script({ type: 'notice', warnings: [notice], deprecated: true });
    const result = await stage('rerank-english-v3.0').doRerank({
      query,
      documents: { type: 'text', values: documents },
      topN: 1,
    });
    expect(result.warnings).toEqual([
      { type: 'other', message: 'Cohere reports that version 2 of its API is deprecated.' },
      { type: 'other', message: `Cohere: ${notice}` },
    ]);
    expect(result.ranking).toEqual([{ index: 1, score: 1 }]);
  });

  test('warns that rankFields does nothing for text documents', async () => {
    const result = await stage().doRerank({
      query,
      documents: { type: 'text', values: documents },
      providerOptions: { cohere: { rankFields: ['title'] } },
    });
    expect(result.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'rankFields',
        details:
          'rankFields applies to object documents only; the text documents were sent as they are.',
      },
    ]);
    expect(
      (emulator().requests[0]?.body as { documents: string[] } | undefined)?.documents,
    ).toEqual(documents);
  });

  test('sends provider and call headers, and the client name', async () => {
    const reranker = createCohere({
      apiKey: emulatorApiKey,
      baseUrl: emulator().url,
      headers: { 'X-Team': 'search' },
      clientName: 'twostage-tests',
    }).reranker('rerank-v3.5');
    await reranker.doRerank({
      query,
      documents: { type: 'text', values: documents },
      headers: { 'X-Request-Tag': 'abc', 'X-Dropped': undefined },
    });
    const headers = emulator().requests[0]?.headers ?? {};
    expect(headers['x-team']).toBe('search');
    expect(headers['x-request-tag']).toBe('abc');
    expect(headers['x-client-name']).toBe('twostage-tests');
    expect('x-dropped' in headers).toBe(false);
  });

  test('keeps the path prefix of a Cohere-compatible server', async () => {
    const prefixed = await startCohereEmulator({
      apiKey: emulatorApiKey,
      basePath: '/compat/cohere',
    });
    try {
      const result = await createCohere({ apiKey: emulatorApiKey, baseUrl: `${prefixed.url}/` })
        .reranker('rerank-v3.5')
        .doRerank({ query, documents: { type: 'text', values: documents }, topN: 1 });
      expect(prefixed.requests.map((request) => request.path)).toEqual([
        '/compat/cohere/v2/rerank',
      ]);
      expect(result.ranking).toEqual([{ index: 1, score: 1 }]);
      expect(prefixed.violations).toEqual([]);
    } finally {
      await prefixed.close();
    }
  });

  test('takes the base URL from COHERE_BASE_URL when no option is given', async () => {
    process.env.COHERE_BASE_URL = emulator().url;
    try {
      await createCohere({ apiKey: emulatorApiKey })
        .reranker('rerank-v3.5')
        .doRerank({ query, documents: { type: 'text', values: documents } });
      expect(emulator().requests.map((request) => request.path)).toEqual(['/v2/rerank']);
    } finally {
      process.env.COHERE_BASE_URL = '';
    }
  });

  test('never mutates the call options', async () => {
    const options = {
      query,
      documents: { type: 'text' as const, values: [...documents] },
      topN: 3,
      providerOptions: { cohere: { maxTokensPerDoc: 100 } },
    };
    const snapshot = structuredClone(options);
    await stage().doRerank(options);
    expect(options).toEqual(snapshot);
  });
});
