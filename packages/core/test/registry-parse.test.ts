import { describe, expect, test } from 'vitest';
import { InvalidArgumentError, parseModelReference } from '../src/index.js';

describe('parseModelReference', () => {
  test.each([
    ['cohere:rerank-multilingual-v3.0', 'cohere', 'rerank-multilingual-v3.0'],
    ['local-onnx:Xenova/ms-marco-MiniLM-L-6-v2', 'local-onnx', 'Xenova/ms-marco-MiniLM-L-6-v2'],
    ['local-onnx:./models/bge-reranker-base', 'local-onnx', './models/bge-reranker-base'],
    ['pinecone:bge-reranker-v2-m3', 'pinecone', 'bge-reranker-v2-m3'],
    // Split on the first colon only: the model keeps its own colons (a tag, a Windows drive).
    ['local-onnx:org/model:v2.1', 'local-onnx', 'org/model:v2.1'],
    ['local-onnx:C:\\models\\bge', 'local-onnx', 'C:\\models\\bge'],
    ['bm25:/var/data/index', 'bm25', '/var/data/index'],
    ['  mock:padded  ', 'mock', 'padded'],
    // Blanks around the colon are typos, not part of the names.
    ['cohere: rerank-v3.5', 'cohere', 'rerank-v3.5'],
    ['cohere :\trerank-v3.5', 'cohere', 'rerank-v3.5'],
    ['local-onnx: ./models/my model', 'local-onnx', './models/my model'],
  ])('%s → provider %s, model %s', (reference, provider, modelId) => {
    expect(parseModelReference(reference)).toEqual({ provider, modelId });
  });

  test('a bare provider has no model', () => {
    expect(parseModelReference('mock')).toEqual({ provider: 'mock', modelId: undefined });
    expect(parseModelReference('bm25')).toEqual({ provider: 'bm25', modelId: undefined });
  });

  test.each([
    ['', /blank string/],
    ['   ', /blank string/],
    [':model', /provider '' must be lowercase/],
    ['Cohere:rerank-v3.5', /provider 'Cohere' must be lowercase/],
    ['./models/bge', /provider '\.\/models\/bge' must be lowercase/],
    ['co here:model', /provider 'co here'/],
    ['cohere:', /names no model after the colon/],
    ['cohere:   ', /names no model after the colon/],
    ['cohere :', /names no model after the colon/],
    [' :model', /provider '' must be lowercase/],
    ['-cohere:x', /provider '-cohere'/],
  ])('rejects %j with InvalidArgumentError', (reference, message) => {
    let caught: unknown;
    try {
      parseModelReference(reference, 'TWOSTAGE_RERANKER');
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).argument).toBe('TWOSTAGE_RERANKER');
    expect((caught as Error).message).toMatch(message);
  });

  test('rejects a non-string', () => {
    expect(() => parseModelReference(42)).toThrow(/expected a 'provider:model' string, got number/);
  });
});
