import { describe, expect, test } from 'vitest';
import { embed } from '../src/embed/embed.js';
import { embedMany } from '../src/embed/embed-many.js';
import { AbortedError } from '../src/errors/aborted-error.js';
import { ApiCallError } from '../src/errors/api-call-error.js';
import { InvalidArgumentError } from '../src/errors/invalid-argument-error.js';
import { InvalidResponseError } from '../src/errors/invalid-response-error.js';
import { MockEmbeddingModel, type MockEmbeddingModelSettings } from '../src/mock/index.js';
import { deepFreeze } from '../src/testing/helpers/deep-freeze.js';

/** The test's vector for `value`: `[length, code of its first character, 0, ...]`, so a test can tell which text a vector belongs to. */
function vectorOf(value: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  vector[0] = value.length;
  if (dimensions > 1) vector[1] = value.codePointAt(0) ?? 0;
  return vector;
}

/**
 * A mock embedding model shaped for these tests: 4 dimensions, vectors from {@link vectorOf}, no
 * batch limit, one call at a time and no usage reported, unless `settings` says otherwise.
 */
function embeddingModel(settings: MockEmbeddingModelSettings = {}): MockEmbeddingModel {
  const dimensions = settings.dimensions ?? 4;
  return new MockEmbeddingModel({
    dimensions,
    maxEmbeddingsPerCall: undefined,
    supportsParallelCalls: false,
    vector: (value) => vectorOf(value, dimensions),
    extra: () => ({}),
    ...settings,
  });
}

const values = [
  'alpha',
  'be',
  'gamma ray',
  'd',
  'epsilon',
  'zeta',
  'eta',
  'theta',
  'iota',
  'kappa',
];

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('embedMany', () => {
  test('batches by maxEmbeddingsPerCall and keeps the input order', async () => {
    const model = embeddingModel({ maxEmbeddingsPerCall: 3 });
    const result = await embedMany({ model, values });
    expect(model.calls.map((call) => call.values)).toEqual([
      values.slice(0, 3),
      values.slice(3, 6),
      values.slice(6, 9),
      values.slice(9),
    ]);
    expect(model.calls.every((call) => call.inputType === 'document')).toBe(true);
    expect(result.embeddings).toEqual(values.map((value) => vectorOf(value, 4)));
    expect(result.usage).toEqual({});
    expect(result.warnings).toEqual([]);
  });

  test('one call when the model has no limit', async () => {
    const model = embeddingModel();
    const result = await embedMany({ model, values, inputType: 'query' });
    expect(model.calls.map((call) => call.values)).toEqual([values]);
    expect(model.calls[0]?.inputType).toBe('query');
    expect(result.embeddings).toEqual(values.map((value) => vectorOf(value, 4)));
  });

  test('runs batches one at a time when the model does not support parallel calls', async () => {
    const model = embeddingModel({ maxEmbeddingsPerCall: 2, latencyMs: 2 });
    await embedMany({ model, values, maxConcurrency: 4 });
    expect(model.calls).toHaveLength(5);
    expect(model.maxActiveCalls).toBe(1);
  });

  test.each([1, 2, 3])(
    'runs at most maxConcurrency %i batches at once when the model supports it',
    async (maxConcurrency) => {
      const model = embeddingModel({
        maxEmbeddingsPerCall: 2,
        supportsParallelCalls: true,
        latencyMs: 2,
      });
      const result = await embedMany({ model, values, maxConcurrency });
      expect(model.maxActiveCalls).toBe(maxConcurrency);
      expect(result.embeddings).toEqual(values.map((value) => vectorOf(value, 4)));
    },
  );

  test('many batches in flight raise no MaxListenersExceededWarning on the shared signal', async () => {
    const many = Array.from({ length: 30 }, (_value, index) => `value ${index}`);
    const model = embeddingModel({
      maxEmbeddingsPerCall: 1,
      supportsParallelCalls: true,
      latencyMs: 5,
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const result = await embedMany({ model, values: many, maxConcurrency: 30 });
      expect(result.embeddings.map((vector) => vector[0])).toEqual(
        many.map((value) => value.length),
      );
      expect(model.maxActiveCalls).toBe(30);
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.name)).toEqual([]);
  });

  test('empty values return no embeddings without calling the model', async () => {
    const model = embeddingModel();
    expect(await embedMany({ model, values: [] })).toEqual({
      embeddings: [],
      usage: {},
      warnings: [],
      responses: [],
    });
    expect(model.calls).toEqual([]);
  });

  test('does not mutate deep-frozen values', async () => {
    const frozen = deepFreeze([...values]);
    const model = embeddingModel({ maxEmbeddingsPerCall: 4 });
    const result = await embedMany({ model, values: frozen });
    expect(result.embeddings).toHaveLength(values.length);
    expect(frozen).toEqual(values);
  });

  test('sums usage and reports each warning once', async () => {
    const model = embeddingModel({
      maxEmbeddingsPerCall: 4,
      intercept: (call, options) => ({
        embeddings: options.values.map((value) => vectorOf(value, 4)),
        usage: { tokens: 5 },
        warnings: [{ type: 'other', message: 'truncated' }],
        response: { id: `r${call}` },
      }),
    });
    const result = await embedMany({ model, values });
    expect(result.usage).toEqual({ tokens: 15 });
    expect(result.warnings).toEqual([{ type: 'other', message: 'truncated' }]);
    expect(result.responses).toEqual([{ id: 'r1' }, { id: 'r2' }, { id: 'r3' }]);
  });

  test('retries a failing batch alone', async () => {
    const model = embeddingModel({
      maxEmbeddingsPerCall: 5,
      intercept: (call) => {
        if (call === 1) {
          throw new ApiCallError({ message: 'busy', url: 'u', statusCode: 503, retryAfterMs: 0 });
        }
        return undefined;
      },
    });
    const result = await embedMany({ model, values });
    expect(model.calls.map((call) => call.values[0])).toEqual(['alpha', 'alpha', 'zeta']);
    expect(result.embeddings).toEqual(values.map((value) => vectorOf(value, 4)));
  });

  test.each([
    [
      'too few vectors',
      (input: string[]) => ({ embeddings: input.slice(1).map((value) => vectorOf(value, 4)) }),
      'returned 2 embeddings for 3 values.',
    ],
    [
      'a vector of the wrong length',
      (input: string[]) => ({ embeddings: input.map((value) => vectorOf(value, 3)) }),
      'embeddings[0] has 3 dimensions; the model declares 4.',
    ],
    [
      'a plain array instead of a Float32Array',
      (input: string[]) => ({ embeddings: input.map(() => [1, 2, 3, 4]) }),
      'embeddings[0] must be a Float32Array.',
    ],
    ['no embeddings array', () => ({}), "'embeddings' must be an array, got undefined."],
  ])('fails clearly on %s, without retrying', async (_name, respond, message) => {
    const model = embeddingModel({
      intercept: (_call, options) => respond(options.values) as never,
    });
    const error = await errorOf(embedMany({ model, values: values.slice(0, 3) }));
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(`Invalid response from mock:mock-embedding: ${message}`);
    expect(model.calls).toHaveLength(1);
  });

  test.each([
    ['values that are not an array', { values: 'abc' }, 'values'],
    ['a value that is not a string', { values: ['a', 'b', 3] }, 'values[2]'],
    ['a missing value', { values: ['a', undefined] }, 'values[1]'],
    ['an unknown inputType', { values: ['a'], inputType: 'passage' }, 'inputType'],
    ['maxConcurrency 0', { values: ['a'], maxConcurrency: 0 }, 'maxConcurrency'],
    ['a negative maxRetries', { values: ['a'], maxRetries: -1 }, 'maxRetries'],
  ])('rejects %s, naming the argument', async (_name, options, argument) => {
    const model = embeddingModel();
    const error = await errorOf(embedMany({ model, ...(options as { values: string[] }) }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(model.calls).toEqual([]);
  });

  test('a failing batch stops the others from starting', async () => {
    const failure = new ApiCallError({ message: 'unauthorized', url: 'u', statusCode: 401 });
    const model = embeddingModel({
      maxEmbeddingsPerCall: 1,
      intercept: (call) => {
        if (call === 2) throw failure;
        return undefined;
      },
    });
    await expect(embedMany({ model, values })).rejects.toBe(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(model.calls).toHaveLength(2);
  });

  test('an abort rejects with AbortedError and starts no further batch', async () => {
    const controller = new AbortController();
    const model = embeddingModel({
      maxEmbeddingsPerCall: 2,
      latencyMs: 10_000,
      intercept: () => undefined,
    });
    const promise = embedMany({ model, values, abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(promise).rejects.toSatisfy(AbortedError.isInstance);
    expect(model.calls).toHaveLength(1);
  });
});

describe('embed', () => {
  test('embeds one value as a query by default', async () => {
    const model = embeddingModel({ dimensions: 8 });
    const result = await embed({ model, value: 'how do I close my account?' });
    expect(result.embedding).toEqual(vectorOf('how do I close my account?', 8));
    // Every call runs under its deadline, so the model always gets a signal to stop on.
    expect(model.calls).toEqual([
      {
        values: ['how do I close my account?'],
        inputType: 'query',
        abortSignal: expect.any(AbortSignal),
        hadAbortSignal: true,
      },
    ]);
    expect(result.usage).toEqual({});
    expect(result.warnings).toEqual([]);
  });

  test('passes inputType, headers and providerOptions', async () => {
    const model = embeddingModel();
    await embed({
      model,
      value: 'x',
      inputType: 'document',
      headers: { 'x-a': '1' },
      providerOptions: { fake: { truncate: 'END' } },
    });
    expect(model.calls[0]).toEqual({
      values: ['x'],
      inputType: 'document',
      abortSignal: expect.any(AbortSignal),
      hadAbortSignal: true,
      headers: { 'x-a': '1' },
      providerOptions: { fake: { truncate: 'END' } },
    });
  });

  test('an unknown inputType is quoted in the message', async () => {
    const model = embeddingModel();
    await expect(
      embed({ model, value: 'a', inputType: 'search_query' as 'query' }),
    ).rejects.toThrow(
      "Invalid argument 'inputType': must be 'query' or 'document', got 'search_query'.",
    );
  });

  test('embed and embedMany reject an abortSignal that is not a signal', async () => {
    const model = embeddingModel();
    const controller = new AbortController() as unknown as AbortSignal;
    for (const error of [
      await errorOf(embed({ model, value: 'a', abortSignal: controller })),
      await errorOf(embedMany({ model, values: ['a'], abortSignal: controller })),
    ]) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('abortSignal');
    }
    expect(model.calls).toEqual([]);
  });

  test('rejects a value that is not a string', async () => {
    const error = await errorOf(embed({ model: embeddingModel(), value: 42 as unknown as string }));
    expect((error as InvalidArgumentError).argument).toBe('value');
  });

  test('checks the vector length', async () => {
    const model = embeddingModel({
      intercept: () => ({ embeddings: [new Float32Array(2)] }),
    });
    await expect(embed({ model, value: 'x' })).rejects.toThrow(
      'embeddings[0] has 2 dimensions; the model declares 4.',
    );
  });

  test('retries a retryable failure', async () => {
    const model = embeddingModel({
      intercept: (call) => {
        if (call === 1) {
          throw new ApiCallError({ message: 'busy', url: 'u', statusCode: 500, retryAfterMs: 0 });
        }
        return undefined;
      },
    });
    const result = await embed({ model, value: 'x' });
    expect(result.embedding).toEqual(vectorOf('x', 4));
    expect(model.calls).toHaveLength(2);
  });
});
