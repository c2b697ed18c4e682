import { InvalidArgumentError, InvalidResponseError } from '@twostage/core';
import { describe, expect, test } from 'vitest';
import { createTei } from '../src/index.js';
import { teiTestApiKey, useTeiEmulator } from './helpers/use-tei-emulator.js';

describe('TEI /embed on the wire', () => {
  const server = useTeiEmulator({
    apiKey: teiTestApiKey,
    maxClientBatchSize: 4,
    maxConcurrentRequests: 8,
    dimensions: 16,
  });
  const model = (options: Record<string, unknown> = {}) =>
    createTei({ baseUrl: server().url, apiKey: teiTestApiKey }).embeddingModel('BAAI/bge-small', {
      dimensions: 16,
      ...options,
    });

  test('windows by max_client_batch_size from /info and keeps texts in flight under the permits', async () => {
    const values = Array.from({ length: 10 }, (_, index) => `text number ${index}`);
    const result = await model().doEmbed({ values, inputType: 'document' });
    const embeds = server().requests.filter((request) => request.path === '/embed');
    expect(embeds.map((request) => (request.body as { inputs: string[] }).inputs)).toEqual([
      values.slice(0, 4),
      values.slice(4, 8),
      values.slice(8, 10),
    ]);
    expect(server().requests.filter((request) => request.path === '/info')).toHaveLength(1);
    expect(server().peakTextsInFlight).toBeLessThanOrEqual(8);
    expect(result.embeddings).toHaveLength(10);
    expect(result.embeddings[0]?.length).toBe(16);
  });

  test('sends normalize, truncate and the prompt name of the input type', async () => {
    await model({ normalize: false, truncate: true, promptNames: { query: 'query' } }).doEmbed({
      values: ['what is tei'],
      inputType: 'query',
    });
    const embed = server().requests.find((request) => request.path === '/embed');
    expect(embed?.body).toEqual({
      inputs: ['what is tei'],
      normalize: false,
      truncate: true,
      prompt_name: 'query',
    });
  });

  test('unknown option names and missing dimensions are typed errors', () => {
    const provider = createTei({ baseUrl: server().url });
    expect(() =>
      provider.embeddingModel('m', { dimensions: 16, normalise: true } as never),
    ).toThrow(InvalidArgumentError);
    expect(() => provider.embeddingModel('m', {} as never)).toThrow(InvalidArgumentError);
    expect(() => provider.embeddingModel('m', undefined as never)).toThrow(InvalidArgumentError);
  });

  test('vectors of another length than dimensions are an InvalidResponseError', async () => {
    await expect(
      model({ dimensions: 32 }).doEmbed({ values: ['a'], inputType: 'document' }),
    ).rejects.toThrow(InvalidResponseError);
  });
});
