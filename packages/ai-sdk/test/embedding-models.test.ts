import type { EmbeddingModelV3CallOptions } from '@ai-sdk/provider';
import { APICallError, TooManyEmbeddingValuesForCallError } from '@ai-sdk/provider';
import {
  AbortedError,
  ApiCallError,
  InvalidArgumentError,
  InvalidResponseError,
  embedMany as twostageEmbedMany,
} from '@twostage/core';
import { MockEmbeddingModel } from '@twostage/core/mock';
import { embed, embedMany } from 'ai';
import { MockEmbeddingModelV3 } from 'ai/test';
import { describe, expect, test } from 'vitest';
import { fromAiSdkEmbeddingModel, toAiSdkEmbeddingModel } from '../src/index.js';

const texts = ['overdraft fee', 'savings interest', 'branch hours', 'card limits', 'loan rates'];

/** A vector that says which text it belongs to: [length, first char code, 1]. */
function vectorOf(value: string): number[] {
  return [value.length, value.charCodeAt(0), 1];
}

/** An AI SDK model answering with {@link vectorOf}, recording each call. */
function aiSdkModel(settings: { maxEmbeddingsPerCall?: number } = {}) {
  const calls: EmbeddingModelV3CallOptions[] = [];
  const model = new MockEmbeddingModelV3({
    provider: 'acme.embedding',
    modelId: 'acme-embed-1',
    maxEmbeddingsPerCall: settings.maxEmbeddingsPerCall ?? 2,
    supportsParallelCalls: true,
    doEmbed: async (options) => {
      calls.push(options);
      return {
        embeddings: options.values.map(vectorOf),
        usage: { tokens: options.values.length },
        warnings: [],
        response: { headers: { 'set-cookie': 'session=1', 'x-trace': 't' }, body: { ok: true } },
      };
    },
  });
  return { model, calls };
}

describe("the AI SDK's embed() / embedMany() over a twostage embedding model", () => {
  test('return the vectors core computes, batched by the twostage model in one AI SDK call', async () => {
    const model = new MockEmbeddingModel({ maxEmbeddingsPerCall: 2, dimensions: 16 });
    const expected = await twostageEmbedMany({
      model: new MockEmbeddingModel({ dimensions: 16 }),
      values: texts,
    });
    const bridged = toAiSdkEmbeddingModel(model);
    const result = await embedMany({ model: bridged, values: texts });
    expect(result.embeddings).toEqual(expected.embeddings.map((vector) => Array.from(vector)));
    expect(model.calls.map((call) => call.values)).toEqual([
      ['overdraft fee', 'savings interest'],
      ['branch hours', 'card limits'],
      ['loan rates'],
    ]);
    expect(result.usage.tokens).toBe(expected.usage.tokens);
    expect(bridged.maxEmbeddingsPerCall).toBeUndefined();
  });

  test('embed as documents by default; as queries by option or per call', async () => {
    const model = new MockEmbeddingModel();
    await embed({ model: toAiSdkEmbeddingModel(model), value: 'a' });
    await embed({ model: toAiSdkEmbeddingModel(model, { inputType: 'query' }), value: 'b' });
    await embed({
      model: toAiSdkEmbeddingModel(model),
      value: 'c',
      providerOptions: { twostage: { inputType: 'query' } },
    });
    expect(model.calls.map((call) => [call.values, call.inputType])).toEqual([
      [['a'], 'document'],
      [['b'], 'query'],
      [['c'], 'query'],
    ]);
  });

  test("the bridge's own providerOptions.twostage never reaches the twostage model", async () => {
    const model = new MockEmbeddingModel();
    await embed({
      model: toAiSdkEmbeddingModel(model),
      value: 'c',
      providerOptions: { twostage: { inputType: 'query' }, mock: { flavour: 'x' } },
    });
    await embed({
      model: toAiSdkEmbeddingModel(model),
      value: 'd',
      providerOptions: { twostage: { inputType: 'query' } },
    });
    expect(model.calls.map((call) => call.providerOptions)).toEqual([
      { mock: { flavour: 'x' } },
      undefined,
    ]);
  });

  test('a 429 is retried by core; a bad per-call inputType is an InvalidArgumentError', async () => {
    const model = new MockEmbeddingModel({
      faults: [
        {
          call: 1,
          error: new ApiCallError({
            message: 'slow down',
            url: 'mock://embed',
            statusCode: 429,
            retryAfterMs: 1,
          }),
        },
      ],
    });
    const result = await embed({ model: toAiSdkEmbeddingModel(model), value: 'retry me' });
    expect(result.embedding).toHaveLength(model.dimensions);
    expect(model.calls).toHaveLength(2);
    await expect(
      embed({
        model: toAiSdkEmbeddingModel(model),
        value: 'x',
        providerOptions: { twostage: { inputType: 'passage' } },
      }),
    ).rejects.toMatchObject({ argument: 'providerOptions.twostage.inputType' });
  });

  test("the caller's abort rejects with AbortedError", async () => {
    const model = new MockEmbeddingModel({ latencyMs: 5_000 });
    const controller = new AbortController();
    const call = embedMany({
      model: toAiSdkEmbeddingModel(model),
      values: texts,
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    const error = await call.catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
  });

  test('refuses what is not a twostage embedding model, and unknown options', () => {
    expect(() => toAiSdkEmbeddingModel(new MockEmbeddingModelV3() as never)).toThrow(
      expect.objectContaining({ argument: 'model.specificationVersion' }),
    );
    expect(() =>
      toAiSdkEmbeddingModel(new MockEmbeddingModel(), { inputType: 'passage' as never }),
    ).toThrow(expect.objectContaining({ argument: 'options.inputType' }));
    expect(() =>
      toAiSdkEmbeddingModel(new MockEmbeddingModel(), { dimensions: 3 } as never),
    ).toThrow(InvalidArgumentError);
  });
});

describe("twostage's embedMany() over an AI SDK embedding model", () => {
  test('batches by the model limit and returns Float32Array vectors in order', async () => {
    const { model, calls } = aiSdkModel();
    const bridged = fromAiSdkEmbeddingModel(model, { dimensions: 3 });
    expect([
      bridged.provider,
      bridged.modelId,
      bridged.maxEmbeddingsPerCall,
      bridged.supportsParallelCalls,
    ]).toEqual(['acme.embedding', 'acme-embed-1', 2, true]);
    const result = await twostageEmbedMany({ model: bridged, values: texts });
    expect(result.embeddings).toEqual(texts.map((text) => Float32Array.from(vectorOf(text))));
    expect(calls.map((call) => call.values)).toEqual([
      ['overdraft fee', 'savings interest'],
      ['branch hours', 'card limits'],
      ['loan rates'],
    ]);
    expect(result.usage.tokens).toBe(5);
    expect(result.responses[0]).toEqual({ headers: { 'x-trace': 't' }, body: { ok: true } });
  });

  test('adds the provider options of the input type under the call options', async () => {
    const { model, calls } = aiSdkModel();
    const bridged = fromAiSdkEmbeddingModel(model, {
      dimensions: 3,
      providerOptionsByInputType: {
        query: { cohere: { inputType: 'search_query', truncate: 'END' } },
        document: { cohere: { inputType: 'search_document' } },
      },
    });
    await twostageEmbedMany({ model: bridged, values: ['q'], inputType: 'query' });
    await twostageEmbedMany({
      model: bridged,
      values: ['d'],
      providerOptions: { cohere: { truncate: 'NONE' }, other: { x: 1 } },
    });
    expect(calls.map((call) => call.providerOptions)).toEqual([
      { cohere: { inputType: 'search_query', truncate: 'END' } },
      { cohere: { inputType: 'search_document', truncate: 'NONE' }, other: { x: 1 } },
    ]);
  });

  test('twostage-only provider options do not leak to the AI SDK model', async () => {
    const { model, calls } = aiSdkModel();
    const bridged = fromAiSdkEmbeddingModel(model, { dimensions: 3 });
    await twostageEmbedMany({
      model: bridged,
      values: ['d'],
      providerOptions: { twostage: { inputType: 'query' }, cohere: { truncate: 'NONE' } },
    });
    await twostageEmbedMany({
      model: bridged,
      values: ['e'],
      providerOptions: { twostage: { x: 1 } },
    });
    // A round trip: the AI SDK side's twostage key is read by the bridge, never passed on.
    const roundTrip = fromAiSdkEmbeddingModel(toAiSdkEmbeddingModel(bridged), { dimensions: 3 });
    await twostageEmbedMany({
      model: roundTrip,
      values: ['f'],
      providerOptions: { twostage: { inputType: 'query' } },
    });
    expect(calls.map((call) => call.providerOptions)).toEqual([
      { cohere: { truncate: 'NONE' } },
      undefined,
      undefined,
    ]);
  });

  test('a 429 APICallError is retried by core; a 401 is not', async () => {
    let call = 0;
    const errors = [
      new APICallError({
        message: 'rate limited',
        url: 'https://api.acme.example/embed',
        requestBodyValues: {},
        statusCode: 429,
        responseHeaders: { 'retry-after-ms': '2' },
        isRetryable: true,
      }),
    ];
    const model = new MockEmbeddingModelV3({
      maxEmbeddingsPerCall: 10,
      doEmbed: async (options) => {
        const error = errors[call++];
        if (error !== undefined) throw error;
        return { embeddings: options.values.map(vectorOf), warnings: [] };
      },
    });
    const bridged = fromAiSdkEmbeddingModel(model, { dimensions: 3 });
    const result = await twostageEmbedMany({ model: bridged, values: ['a'] });
    expect(result.embeddings).toEqual([Float32Array.from(vectorOf('a'))]);
    expect(call).toBe(2);

    call = 0;
    errors[0] = new APICallError({
      message: 'unauthorised',
      url: 'https://api.acme.example/embed',
      requestBodyValues: {},
      statusCode: 401,
      isRetryable: false,
    });
    const error = await twostageEmbedMany({ model: bridged, values: ['a'] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'ApiCallError', statusCode: 401, isRetryable: false });
    expect(call).toBe(1);
  });

  test('TooManyEmbeddingValuesForCallError names the option to set', async () => {
    const model = new MockEmbeddingModelV3({
      maxEmbeddingsPerCall: null,
      doEmbed: async (options) => {
        throw new TooManyEmbeddingValuesForCallError({
          provider: 'acme',
          modelId: 'm',
          maxEmbeddingsPerCall: 1,
          values: options.values,
        });
      },
    });
    const bridged = fromAiSdkEmbeddingModel(model, { dimensions: 3 });
    await expect(twostageEmbedMany({ model: bridged, values: ['a', 'b'] })).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'values',
      message: expect.stringContaining("'maxEmbeddingsPerCall'"),
    });
  });

  test.each<[string, unknown, RegExp]>([
    [
      'too few vectors',
      { embeddings: [[1, 2, 3]], warnings: [] },
      /returned 1 embeddings for 2 values/,
    ],
    [
      'a vector of the wrong length',
      {
        embeddings: [
          [1, 2],
          [1, 2, 3],
        ],
        warnings: [],
      },
      /embeddings\[0\] has 2 dimensions/,
    ],
    [
      'a NaN component',
      {
        embeddings: [
          [1, Number.NaN, 3],
          [1, 2, 3],
        ],
        warnings: [],
      },
      /embeddings\[0\] holds a value/,
    ],
    ['no embeddings array', { warnings: [] }, /'embeddings' must be an array/],
    [
      'a vector that is not an array',
      { embeddings: ['1,2,3', [1, 2, 3]], warnings: [] },
      /embeddings\[0\] must be an array/,
    ],
  ])('%s is an InvalidResponseError', async (_, reply, message) => {
    const model = new MockEmbeddingModelV3({ doEmbed: async () => reply as never });
    const bridged = fromAiSdkEmbeddingModel(model, { dimensions: 3 });
    const call = Promise.resolve(bridged.doEmbed({ values: ['a', 'b'], inputType: 'document' }));
    await expect(call).rejects.toThrow(InvalidResponseError);
    await expect(call).rejects.toThrow(message);
  });

  test('aborting in flight rejects with AbortedError', async () => {
    const model = new MockEmbeddingModelV3({ doEmbed: () => new Promise(() => {}) });
    const bridged = fromAiSdkEmbeddingModel(model, { dimensions: 3 });
    const controller = new AbortController();
    const call = twostageEmbedMany({
      model: bridged,
      values: ['a'],
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 5);
    const error = await call.catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
  });

  test.each([
    ['no options', undefined, 'options'],
    ['a missing dimensions', {}, 'options.dimensions'],
    ['a fractional dimensions', { dimensions: 1.5 }, 'options.dimensions'],
    ['an unknown option', { dimensions: 3, inputType: 'query' }, 'options.inputType'],
    [
      'a bad supportsParallelCalls',
      { dimensions: 3, supportsParallelCalls: 'yes' },
      'options.supportsParallelCalls',
    ],
    [
      'an unknown input type',
      { dimensions: 3, providerOptionsByInputType: { passage: {} } },
      'options.providerOptionsByInputType.passage',
    ],
  ])('refuses %s', (_, options, argument) => {
    const attempt = () => fromAiSdkEmbeddingModel(new MockEmbeddingModelV3(), options as never);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ argument }));
  });

  test('refuses a twostage model, and a promised limit without the option', () => {
    expect(() =>
      fromAiSdkEmbeddingModel(new MockEmbeddingModel() as never, { dimensions: 3 }),
    ).toThrow(expect.objectContaining({ argument: 'model.specificationVersion' }));
    const promised = new MockEmbeddingModelV3({
      maxEmbeddingsPerCall: Promise.resolve(8),
      supportsParallelCalls: Promise.resolve(true),
    });
    expect(() => fromAiSdkEmbeddingModel(promised, { dimensions: 3 })).toThrow(
      expect.objectContaining({ argument: 'options.maxEmbeddingsPerCall' }),
    );
    const declared = fromAiSdkEmbeddingModel(promised, { dimensions: 3, maxEmbeddingsPerCall: 8 });
    expect([declared.maxEmbeddingsPerCall, declared.supportsParallelCalls]).toEqual([8, false]);
  });

  test('a v4 model is accepted', async () => {
    const v4 = {
      specificationVersion: 'v4' as const,
      provider: 'acme',
      modelId: 'e4',
      maxEmbeddingsPerCall: undefined,
      supportsParallelCalls: false,
      doEmbed: async (options: EmbeddingModelV3CallOptions) => ({
        embeddings: options.values.map(vectorOf),
        warnings: [],
      }),
    };
    const result = await twostageEmbedMany({
      model: fromAiSdkEmbeddingModel(v4, { dimensions: 3 }),
      values: ['z'],
    });
    expect(result.embeddings).toEqual([Float32Array.from(vectorOf('z'))]);
  });
});
