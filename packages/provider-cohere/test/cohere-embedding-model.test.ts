import { InvalidArgumentError, ModelNotFoundError } from '@twostage/core';
import { describe, expect, test } from 'vitest';
import { createCohere } from '../src/index.js';
import { emulatorApiKey, useCohereEmulator } from './helpers/use-cohere-emulator.js';

const emulator = useCohereEmulator();

function provider() {
  return createCohere({ apiKey: emulatorApiKey, baseUrl: emulator().url, timeoutMs: 10_000 });
}

describe('cohere embedding model on the wire', () => {
  test('declares its dimensions, batch limit and parallelism', () => {
    const model = provider().embeddingModel('embed-multilingual-v3.0');
    expect({
      specificationVersion: model.specificationVersion,
      provider: model.provider,
      modelId: model.modelId,
      dimensions: model.dimensions,
      maxEmbeddingsPerCall: model.maxEmbeddingsPerCall,
      supportsParallelCalls: model.supportsParallelCalls,
    }).toEqual({
      specificationVersion: 'v1',
      provider: 'cohere',
      modelId: 'embed-multilingual-v3.0',
      dimensions: 1024,
      maxEmbeddingsPerCall: 96,
      supportsParallelCalls: true,
    });
    expect(provider().embeddingModel('embed-v4.0').dimensions).toBe(1536);
    expect(provider().embeddingModel('embed-english-light-v3.0').dimensions).toBe(384);
  });

  test('sends search_query for queries and float embedding types, and reads the vectors', async () => {
    const result = await provider()
      .embeddingModel('embed-english-v3.0')
      .doEmbed({ values: ['home loan fee', 'home loan'], inputType: 'query' });
    const [request] = emulator().requests;
    expect(request?.path).toBe('/v2/embed');
    expect(request?.rawBody).toBe(
      JSON.stringify({
        model: 'embed-english-v3.0',
        texts: ['home loan fee', 'home loan'],
        input_type: 'search_query',
        embedding_types: ['float'],
      }),
    );
    expect(request?.headers.authorization).toBe(`Bearer ${emulatorApiKey}`);
    expect(result.embeddings.map((vector) => vector.length)).toEqual([1024, 1024]);
    expect(result.embeddings[0]).toBeInstanceOf(Float32Array);
    // Billed input tokens: three words plus two.
    expect(result.usage).toEqual({ tokens: 5 });
    expect(result.response?.id).toBe(request?.responseId);
    // Texts sharing two of three words are close (the emulator hashes words).
    const [first, second] = result.embeddings;
    let dot = 0;
    for (let index = 0; index < 1024; index++)
      dot += (first?.[index] ?? 0) * (second?.[index] ?? 0);
    expect(dot).toBeGreaterThan(0.5);
  });

  test('sends search_document for documents, with per-call truncate, priority and maxTokens', async () => {
    await provider()
      .embeddingModel('embed-english-v3.0')
      .doEmbed({
        values: ['a document'],
        inputType: 'document',
        providerOptions: { cohere: { truncate: 'START', priority: 7, maxTokens: 128 } },
      });
    expect(emulator().requests[0]?.body).toEqual({
      model: 'embed-english-v3.0',
      texts: ['a document'],
      input_type: 'search_document',
      embedding_types: ['float'],
      truncate: 'START',
      priority: 7,
      max_tokens: 128,
    });
  });

  test('embed-v4.0 with chosen dimensions sends output_dimension and gets vectors that long', async () => {
    const model = provider().embeddingModel('embed-v4.0', { dimensions: 512 });
    expect(model.dimensions).toBe(512);
    const result = await model.doEmbed({ values: ['x'], inputType: 'document' });
    expect(
      (emulator().requests[0]?.body as { output_dimension?: number } | undefined)?.output_dimension,
    ).toBe(512);
    expect(result.embeddings[0]?.length).toBe(512);
  });

  test('the native length sends no output_dimension', async () => {
    await provider()
      .embeddingModel('embed-v4.0', { dimensions: 1536 })
      .doEmbed({ values: ['x'], inputType: 'document' });
    expect(emulator().requests[0]?.body).not.toHaveProperty('output_dimension');
  });

  test('rejects dimensions a model cannot give, and an unknown model without dimensions', () => {
    expect(() => provider().embeddingModel('embed-english-v3.0', { dimensions: 512 })).toThrow(
      /must be one of 1024/,
    );
    expect(() => provider().embeddingModel('embed-v4.0', { dimensions: 300 })).toThrow(
      /256, 512, 1024, 1536/,
    );
    let error: unknown;
    try {
      provider().embeddingModel('embed-future-v9');
    } catch (caught) {
      error = caught;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ argument: 'dimensions' });
  });

  test('an unknown model with declared dimensions is sent as it is; Cohere answers 404', async () => {
    const model = provider().embeddingModel('embed-future-v9', { dimensions: 2048 });
    expect(model.dimensions).toBe(2048);
    const error = await model
      .doEmbed({ values: ['x'], inputType: 'query' })
      .catch((caught: unknown) => caught);
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ modelId: 'embed-future-v9' });
    expect(emulator().requests[0]?.body).not.toHaveProperty('output_dimension');
  });

  test("passes Cohere's meta.warnings on as warnings, and none when there are none", async () => {
    const model = provider().embeddingModel('embed-english-v3.0');
    emulator().script({ type: 'notice', warnings: ['embed-english-v3.0 will be retired soon'] });
    const warned = await model.doEmbed({ values: ['x'], inputType: 'query' });
    const plain = await model.doEmbed({ values: ['x'], inputType: 'query' });
    expect(warned.warnings).toEqual([
      { type: 'other', message: 'Cohere: embed-english-v3.0 will be retired soon' },
    ]);
    expect(plain.warnings).toBeUndefined();
  });

  test('rejects a malformed truncate option before sending', async () => {
    const error = await provider()
      .embeddingModel('embed-english-v3.0')
      .doEmbed({
        values: ['x'],
        inputType: 'query',
        providerOptions: { cohere: { truncate: 'MIDDLE' } },
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'providerOptions.cohere.truncate',
    });
    expect(emulator().requests).toEqual([]);
  });
});
