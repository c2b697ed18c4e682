import { describe, expect, test } from 'vitest';
import { AbortedError } from '../src/errors/aborted-error.js';
import { ApiCallError } from '../src/errors/api-call-error.js';
import { InvalidArgumentError } from '../src/errors/invalid-argument-error.js';
import {
  MockEmbeddingModel,
  type MockEmbeddingModelSettings,
  MockRerankStage,
  type MockRerankStageSettings,
  MockRetrieveStage,
  type MockRetrieveStageSettings,
} from '../src/mock/index.js';
import type { RerankStageV1CallOptions } from '../src/spec/v1/rerank-stage-v1.js';

function thrownBy(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  throw new Error('expected the constructor to throw');
}

/** Builds with `settings` as a plain-JS caller could pass them, and returns the error. */
function invalidArgumentOf(build: (settings: never) => unknown, settings: unknown) {
  const error = thrownBy(() => build(settings as never));
  if (!InvalidArgumentError.isInstance(error)) {
    throw new Error(`expected an InvalidArgumentError, got ${String(error)}`);
  }
  return error;
}

const buildReranker = (settings: MockRerankStageSettings) => new MockRerankStage(settings);
const buildRetriever = (settings: MockRetrieveStageSettings) => new MockRetrieveStage(settings);
const buildEmbedder = (settings: MockEmbeddingModelSettings) => new MockEmbeddingModel(settings);

const error = new ApiCallError({ message: 'busy', url: 'mock://', statusCode: 503 });
const text = (values: string[]) => ({ type: 'text' as const, values });

describe('unknown setting names', () => {
  test('a misspelt name is rejected, naming it and suggesting the setting it was meant to be', () => {
    const rejected = invalidArgumentOf(buildReranker, { latencyMS: 5 });
    expect(rejected.argument).toBe('latencyMS');
    expect(rejected.message).toBe(
      "Invalid argument 'latencyMS': is not a MockRerankStage setting (did you mean 'latencyMs'?); its settings are modelId, maxDocumentsPerCall, latencyMs, faults, scoreKind, score, intercept, extra, reverseTies.",
    );
  });

  test.each([
    [
      'MockRerankStage',
      buildReranker,
      { maxDocumentPerCall: 2 },
      'maxDocumentPerCall',
      'maxDocumentsPerCall',
    ],
    ['MockRetrieveStage', buildRetriever, { documents: [], maxTopk: 3 }, 'maxTopk', 'maxTopK'],
    ['MockRetrieveStage', buildRetriever, { document: [] }, 'document', 'documents'],
    ['MockEmbeddingModel', buildEmbedder, { dimension: 8 }, 'dimension', 'dimensions'],
    [
      'MockEmbeddingModel',
      buildEmbedder,
      { supportParallelCalls: false },
      'supportParallelCalls',
      'supportsParallelCalls',
    ],
  ] as const)('%s: %o suggests %s → %s', (mock, build, settings, name, suggestion) => {
    const rejected = invalidArgumentOf(build, settings);
    expect(rejected.argument).toBe(name);
    expect(rejected.message).toContain(`is not a ${mock} setting (did you mean '${suggestion}'?)`);
  });

  test('a name close to none gets no suggestion, only the list of settings', () => {
    const rejected = invalidArgumentOf(buildEmbedder, { delayMs: 5 });
    expect(rejected.argument).toBe('delayMs');
    expect(rejected.message).toBe(
      "Invalid argument 'delayMs': is not a MockEmbeddingModel setting; its settings are modelId, dimensions, maxEmbeddingsPerCall, supportsParallelCalls, latencyMs, faults, vector, intercept, extra.",
    );
  });

  test('an unknown name is rejected even when its value is undefined', () => {
    expect(invalidArgumentOf(buildReranker, { topN: undefined }).argument).toBe('topN');
  });

  test.each([
    ['null', null],
    ['a number', 5],
    ['an array', []],
    ['a string', 'mock-reranker'],
  ])('settings that are %s are rejected', (_name, settings) => {
    const rejected = invalidArgumentOf(buildReranker, settings);
    expect(rejected.argument).toBe('settings');
    expect(rejected.message).toMatch(/must be an object of MockRerankStage settings/);
  });
});

/** A bad settings object, the argument the error names and the rest of its message. */
type BadSetting = readonly [settings: object, argument: string, message: string];

describe('bad setting values', () => {
  const faultCases: BadSetting[] = [
    [{ faults: 'call 1' }, 'faults', 'must be an array of { call, error }, got a string.'],
    [{ faults: [null] }, 'faults[0]', 'must be an object { call, error }, got null.'],
    [{ faults: [{ call: 0, error }] }, 'faults[0].call', 'must be at least 1, got 0.'],
    [{ faults: [{ call: 1.5, error }] }, 'faults[0].call', 'must be an integer, got 1.5.'],
    [{ faults: [{ call: 1 }] }, 'faults[0].error', 'must be what the call throws, got undefined.'],
    [
      {
        faults: [
          { call: 2, error },
          { call: 2, error },
        ],
      },
      'faults[1].call',
      'call 2 already has a fault; script one fault per call.',
    ],
  ];
  const latencyCases: BadSetting[] = [
    [{ latencyMs: -1 }, 'latencyMs', 'must be a finite number of milliseconds ≥ 0, got -1.'],
    [
      { latencyMs: Number.NaN },
      'latencyMs',
      'must be a finite number of milliseconds ≥ 0, got NaN.',
    ],
    [
      { latencyMs: Number.POSITIVE_INFINITY },
      'latencyMs',
      'must be a finite number of milliseconds ≥ 0, got Infinity.',
    ],
    [{ latencyMs: '5' }, 'latencyMs', 'must be a finite number of milliseconds ≥ 0, got a string.'],
  ];
  const modelIdCases: BadSetting[] = [
    [{ modelId: '' }, 'modelId', 'must be a non-empty string, got a string.'],
    [{ modelId: 7 }, 'modelId', 'must be a non-empty string, got 7.'],
  ];
  const functionCases = (names: readonly string[]): BadSetting[] =>
    names.map((name) => [{ [name]: 'not a function' }, name, 'must be a function, got a string.']);

  test.each<BadSetting>([
    ...modelIdCases,
    [{ maxDocumentsPerCall: 0 }, 'maxDocumentsPerCall', 'must be at least 1, got 0.'],
    [{ maxDocumentsPerCall: -1 }, 'maxDocumentsPerCall', 'must be at least 1, got -1.'],
    [{ maxDocumentsPerCall: 2.5 }, 'maxDocumentsPerCall', 'must be an integer, got 2.5.'],
    [{ maxDocumentsPerCall: '3' }, 'maxDocumentsPerCall', 'must be an integer, got a string.'],
    ...latencyCases,
    ...faultCases,
    [
      { scoreKind: 'logits' },
      'scoreKind',
      "must be one of 'probability', 'logit', 'similarity', got 'logits'.",
    ],
    ...functionCases(['score', 'intercept', 'extra']),
    [{ reverseTies: 'yes' }, 'reverseTies', 'must be true or false, got a string.'],
  ])('MockRerankStage %o is rejected naming %s', (settings, argument, message) => {
    const rejected = invalidArgumentOf(buildReranker, settings);
    expect(rejected.argument).toBe(argument);
    expect(rejected.message).toBe(`Invalid argument '${argument}': ${message}`);
  });

  test.each<BadSetting>([
    [{}, 'documents', 'must be an array of { id, text, metadata?, namespace? }, got undefined.'],
    [
      { documents: 'fee' },
      'documents',
      'must be an array of { id, text, metadata?, namespace? }, got a string.',
    ],
    [
      { documents: [null] },
      'documents[0]',
      'must be an object { id, text, metadata?, namespace? }, got null.',
    ],
    [{ documents: [{ id: 1, text: 'a' }] }, 'documents[0].id', 'must be a string, got 1.'],
    [{ documents: [{ id: 'a' }] }, 'documents[0].text', 'must be a string, got undefined.'],
    [
      { documents: [{ id: 'a', text: 'a', metadata: 'x' }] },
      'documents[0].metadata',
      'must be a plain object.',
    ],
    [
      { documents: [{ id: 'a', text: 'a', metadata: { year: { $gt: 1 } } }] },
      'documents[0].metadata.year',
      'must be a string, a finite number, a boolean or an array of strings (the value types Pinecone stores).',
    ],
    [
      { documents: [{ id: 'a', text: 'a', namespace: 3 }] },
      'documents[0].namespace',
      'must be a string, got 3.',
    ],
    [
      {
        documents: [
          { id: 'a', text: 'a' },
          { id: 'a', text: 'b' },
        ],
      },
      'documents[1].id',
      "'a' appears more than once in the default namespace; ids are unique within a namespace.",
    ],
    [
      {
        documents: [
          { id: 'a', text: 'a', namespace: 'x' },
          { id: 'a', text: 'b', namespace: 'x' },
        ],
      },
      'documents[1].id',
      "'a' appears more than once in namespace 'x'; ids are unique within a namespace.",
    ],
    ...(
      [
        ...modelIdCases,
        [{ maxTopK: 0 }, 'maxTopK', 'must be at least 1, got 0.'],
        [{ maxTopK: 1.5 }, 'maxTopK', 'must be an integer, got 1.5.'],
        ...latencyCases,
        ...faultCases,
        ...functionCases(['score', 'intercept', 'extra']),
      ] satisfies BadSetting[]
    ).map(
      ([settings, argument, message]): BadSetting => [
        { documents: [], ...settings },
        argument,
        message,
      ],
    ),
  ])('MockRetrieveStage %o is rejected naming %s', (settings, argument, message) => {
    const rejected = invalidArgumentOf(buildRetriever, settings);
    expect(rejected.argument).toBe(argument);
    expect(rejected.message).toBe(`Invalid argument '${argument}': ${message}`);
  });

  test.each<BadSetting>([
    ...modelIdCases,
    [{ dimensions: 0 }, 'dimensions', 'must be a positive integer, got 0.'],
    [{ dimensions: 1.5 }, 'dimensions', 'must be a positive integer, got 1.5.'],
    [{ dimensions: '8' }, 'dimensions', 'must be a positive integer, got a string.'],
    [{ maxEmbeddingsPerCall: 0 }, 'maxEmbeddingsPerCall', 'must be at least 1, got 0.'],
    [{ maxEmbeddingsPerCall: null }, 'maxEmbeddingsPerCall', 'must be an integer, got null.'],
    [
      { supportsParallelCalls: 'no' },
      'supportsParallelCalls',
      'must be true or false, got a string.',
    ],
    ...latencyCases,
    ...faultCases,
    ...functionCases(['vector', 'intercept', 'extra']),
  ])('MockEmbeddingModel %o is rejected naming %s', (settings, argument, message) => {
    const rejected = invalidArgumentOf(buildEmbedder, settings);
    expect(rejected.argument).toBe(argument);
    expect(rejected.message).toBe(`Invalid argument '${argument}': ${message}`);
  });
});

describe('defaults, and undefined meaning the default', () => {
  test('the mocks keep their documented defaults', () => {
    const reranker = new MockRerankStage();
    expect([reranker.provider, reranker.modelId, reranker.scoreKind]).toEqual([
      'mock',
      'mock-reranker',
      'probability',
    ]);
    expect(reranker.maxDocumentsPerCall).toBeUndefined();
    const retriever = new MockRetrieveStage({ documents: [] });
    expect([retriever.provider, retriever.modelId, retriever.maxTopK]).toEqual([
      'mock',
      'mock-index',
      undefined,
    ]);
    const embedder = new MockEmbeddingModel();
    expect([
      embedder.modelId,
      embedder.dimensions,
      embedder.maxEmbeddingsPerCall,
      embedder.supportsParallelCalls,
    ]).toEqual(['mock-embedding', 64, 96, true]);
  });

  test('settings given as undefined take their defaults; maxEmbeddingsPerCall undefined lifts the limit', () => {
    // What a plain-JS caller (or the registry's mock provider) may pass.
    const reranker = new MockRerankStage({
      modelId: undefined,
      maxDocumentsPerCall: undefined,
      latencyMs: undefined,
    } as unknown as MockRerankStageSettings);
    expect([reranker.modelId, reranker.maxDocumentsPerCall]).toEqual(['mock-reranker', undefined]);
    expect(new MockEmbeddingModel({ maxEmbeddingsPerCall: undefined }).maxEmbeddingsPerCall).toBe(
      undefined,
    );
  });
});

describe('MockRerankStage options', () => {
  test('score, scoreKind and reverseTies decide the ranking and what it declares', async () => {
    const model = new MockRerankStage({
      score: (documentText, query) => (documentText.includes(query) ? 2 : -1),
      scoreKind: 'logit',
      reverseTies: true,
    });
    expect(model.scoreKind).toBe('logit');
    const result = await model.doRerank({
      query: 'fee',
      documents: text(['a', 'fee', 'b', 'fees']),
    });
    expect(result.ranking).toEqual([
      { index: 3, score: 2 },
      { index: 1, score: 2 },
      { index: 2, score: -1 },
      { index: 0, score: -1 },
    ]);
  });

  test('score sees an object document rendered as key: value lines', async () => {
    const seen: string[] = [];
    const model = new MockRerankStage({
      score: (documentText) => {
        seen.push(documentText);
        return 0;
      },
    });
    await model.doRerank({
      query: 'q',
      documents: { type: 'object', values: [{ title: 'Fees', tags: ['a'], text: 'body' }] },
    });
    expect(seen).toEqual(['title: Fees\ntags: ["a"]\ntext: body']);
  });

  test('intercept gets the call number and the live options after the faults, and may answer, throw or pass', async () => {
    const seen: { call: number; options: RerankStageV1CallOptions }[] = [];
    const replaced = new ApiCallError({ message: 'replaced', url: 'mock://', statusCode: 400 });
    const model = new MockRerankStage({
      faults: [{ call: 1, error }],
      intercept: (call, options) => {
        seen.push({ call, options });
        if (call === 2) return { ranking: [{ index: 0, score: 42 }] };
        if (call === 3) throw replaced;
        return undefined;
      },
    });
    const options = { query: 'fee', documents: text(['fee', 'other']) };
    await expect(model.doRerank(options)).rejects.toBe(error);
    await expect(model.doRerank(options)).resolves.toEqual({ ranking: [{ index: 0, score: 42 }] });
    await expect(model.doRerank(options)).rejects.toBe(replaced);
    await expect(model.doRerank(options)).resolves.toEqual({
      ranking: [
        { index: 0, score: 1 },
        { index: 1, score: 0 },
      ],
      usage: { searchUnits: 1 },
      warnings: [],
    });
    expect(seen.map((entry) => entry.call)).toEqual([2, 3, 4]);
    expect(seen.every((entry) => entry.options === options)).toBe(true);
  });

  test('extra replaces the result fields besides the ranking; {} leaves a bare ranking', async () => {
    const withExtra = new MockRerankStage({
      extra: (call) => ({ usage: { inputTokens: call }, response: { id: `r${call}` } }),
    });
    const documents = text(['fee']);
    await withExtra.doRerank({ query: 'fee', documents });
    expect(await withExtra.doRerank({ query: 'fee', documents })).toEqual({
      ranking: [{ index: 0, score: 1 }],
      usage: { inputTokens: 2 },
      response: { id: 'r2' },
    });
    const bare = new MockRerankStage({ extra: () => ({}) });
    expect(await bare.doRerank({ query: 'fee', documents })).toEqual({
      ranking: [{ index: 0, score: 1 }],
    });
  });

  test('records the live abort signal and counts the calls that ran at once', async () => {
    const model = new MockRerankStage({ latencyMs: 5 });
    const controller = new AbortController();
    const calls = [1, 2, 3].map(() =>
      model.doRerank({ query: 'q', documents: text(['a']), abortSignal: controller.signal }),
    );
    expect(model.activeCalls).toBe(3);
    await Promise.all(calls);
    expect(model.activeCalls).toBe(0);
    expect(model.maxActiveCalls).toBe(3);
    expect(model.calls[0]?.abortSignal).toBe(controller.signal);
    expect(model.calls[0]?.hadAbortSignal).toBe(true);
  });

  test('a fault numbers the calls as they arrive, also when they run at once', async () => {
    const model = new MockRerankStage({ latencyMs: 5, faults: [{ call: 1, error }] });
    const results = await Promise.allSettled([
      model.doRerank({ query: 'q', documents: text(['a']) }),
      model.doRerank({ query: 'q', documents: text(['b']) }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
  });

  test('the faults are copied when the stage is built', async () => {
    const faults = [{ call: 1, error }];
    const model = new MockRerankStage({ faults });
    faults.length = 0;
    await expect(model.doRerank({ query: 'q', documents: text(['a']) })).rejects.toBe(error);
  });

  test('with no latency an abort fired right after the call started still rejects', async () => {
    const model = new MockRerankStage();
    const controller = new AbortController();
    const call = model.doRerank({
      query: 'q',
      documents: text(['a']),
      abortSignal: controller.signal,
    });
    controller.abort('gone');
    const rejected = await call.catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(rejected)).toBe(true);
    expect((rejected as AbortedError).reason).toBe('gone');
  });
});

describe('MockRetrieveStage options', () => {
  const documents = [
    { id: 'a', text: 'alpha' },
    { id: 'b', text: 'beta', metadata: { year: 2024 } },
    { id: 'c', text: 'gamma' },
    { id: 'd', text: 'delta' },
  ];

  test('score replaces term overlap; 0 or less does not match and ties keep corpus order', async () => {
    const scores: Record<string, number> = { alpha: 0.5, beta: 0.9, gamma: 0, delta: 0.5 };
    const retriever = new MockRetrieveStage({
      documents,
      score: (documentText) => scores[documentText] ?? 0,
    });
    const result = await retriever.doRetrieve({ query: 'anything', topK: 10 });
    expect(result.candidates).toEqual([
      { id: 'b', text: 'beta', score: 0.9, metadata: { year: 2024 } },
      { id: 'a', text: 'alpha', score: 0.5 },
      { id: 'd', text: 'delta', score: 0.5 },
    ]);
  });

  test('intercept and extra replace what the stage answers', async () => {
    const retriever = new MockRetrieveStage({
      documents,
      intercept: (call) =>
        call === 1 ? { candidates: [{ id: 'x', text: 'x', score: 1 }] } : undefined,
      extra: (call) => ({ response: { id: `q${call}` } }),
    });
    expect(await retriever.doRetrieve({ query: 'alpha', topK: 1 })).toEqual({
      candidates: [{ id: 'x', text: 'x', score: 1 }],
    });
    expect(await retriever.doRetrieve({ query: 'alpha', topK: 1 })).toEqual({
      candidates: [{ id: 'a', text: 'alpha', score: 1 }],
      response: { id: 'q2' },
    });
  });

  test('records copies of headers and provider options, the live signal, and the calls at once', async () => {
    const retriever = new MockRetrieveStage({ documents, latencyMs: 5 });
    const headers = { 'x-a': '1' };
    const providerOptions = { mock: { nested: [1] } };
    const signal = new AbortController().signal;
    await Promise.all([
      retriever.doRetrieve({
        query: 'alpha',
        topK: 1,
        headers,
        providerOptions,
        abortSignal: signal,
      }),
      retriever.doRetrieve({ query: 'beta', topK: 1 }),
    ]);
    expect(retriever.calls[0]?.headers).toEqual(headers);
    expect(retriever.calls[0]?.headers).not.toBe(headers);
    expect(retriever.calls[0]?.providerOptions).toEqual(providerOptions);
    expect(retriever.calls[0]?.providerOptions).not.toBe(providerOptions);
    expect(retriever.calls[0]?.abortSignal).toBe(signal);
    expect(retriever.calls[1]?.hadAbortSignal).toBe(false);
    expect(retriever.maxActiveCalls).toBe(2);
  });

  test('the same id in two namespaces is allowed', async () => {
    const retriever = new MockRetrieveStage({
      documents: [
        { id: 'a', text: 'fee' },
        { id: 'a', text: 'fee', namespace: 'other' },
      ],
    });
    const result = await retriever.doRetrieve({ query: 'fee', topK: 5, namespace: 'other' });
    expect(result.candidates.map((candidate) => candidate.id)).toEqual(['a']);
  });
});

describe('MockEmbeddingModel options', () => {
  test('vector replaces the hashed bag of words and gets the input type', async () => {
    const model = new MockEmbeddingModel({
      dimensions: 2,
      vector: (value, inputType) => Float32Array.of(value.length, inputType === 'query' ? 1 : 0),
    });
    const result = await model.doEmbed({ values: ['abc', 'de'], inputType: 'query' });
    expect(result.embeddings).toEqual([Float32Array.of(3, 1), Float32Array.of(2, 1)]);
    expect(result.usage).toEqual({ tokens: 2 });
  });

  test('supportsParallelCalls is declared as set', () => {
    expect(new MockEmbeddingModel({ supportsParallelCalls: false }).supportsParallelCalls).toBe(
      false,
    );
  });

  test('intercept and extra replace what the model answers', async () => {
    const model = new MockEmbeddingModel({
      dimensions: 2,
      intercept: (call) => (call === 1 ? { embeddings: [] } : undefined),
      extra: () => ({ warnings: [{ type: 'other', message: 'truncated' }] }),
    });
    expect(await model.doEmbed({ values: ['a'], inputType: 'document' })).toEqual({
      embeddings: [],
    });
    const second = await model.doEmbed({ values: ['a'], inputType: 'document' });
    expect(second.usage).toBeUndefined();
    expect(second.warnings).toEqual([{ type: 'other', message: 'truncated' }]);
  });

  test('records copies of headers and provider options, the live signal, and the calls at once', async () => {
    const model = new MockEmbeddingModel({ latencyMs: 5 });
    const headers = { 'x-a': '1' };
    const signal = new AbortController().signal;
    await Promise.all([
      model.doEmbed({ values: ['a'], inputType: 'query', headers, abortSignal: signal }),
      model.doEmbed({ values: ['b'], inputType: 'query', providerOptions: { mock: { x: 1 } } }),
    ]);
    expect(model.calls).toEqual([
      {
        values: ['a'],
        inputType: 'query',
        headers,
        providerOptions: undefined,
        hadAbortSignal: true,
        abortSignal: signal,
      },
      {
        values: ['b'],
        inputType: 'query',
        headers: undefined,
        providerOptions: { mock: { x: 1 } },
        hadAbortSignal: false,
        abortSignal: undefined,
      },
    ]);
    expect(model.calls[0]?.headers).not.toBe(headers);
    expect(model.maxActiveCalls).toBe(2);
    expect(model.activeCalls).toBe(0);
  });
});
