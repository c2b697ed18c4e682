import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@twostage/core';
import { runInTemporaryApp } from '@twostage/testkit';
import { describe, expect, test } from 'vitest';
import { twostageProvider, VERSION } from '../src/index.js';
import { teiTestApiKey, useTeiEmulator } from './helpers/use-tei-emulator.js';

const server = useTeiEmulator({ apiKey: teiTestApiKey, maxClientBatchSize: 1 });

describe('configuration alone reaches a TEI server', () => {
  test('TWOSTAGE_RERANKER=tei:<model> in an app that installed core and this package', async () => {
    const stdout = await runInTemporaryApp({
      packages: {
        '@twostage/core': fileURLToPath(new URL('../../core', import.meta.url)),
        '@twostage/provider-tei': fileURLToPath(new URL('..', import.meta.url)),
      },
      files: {
        'main.ts': [
          "import { rerank, resolveReranker } from '@twostage/core';",
          'const model = await resolveReranker();',
          "const result = await rerank({ model, query: 'loan fee', documents: ['hours', 'the loan fee'] });",
          'console.log(JSON.stringify({ provider: model.provider, modelId: model.modelId, ranking: result.ranking }));',
        ].join('\n'),
      },
      entry: 'main.ts',
      env: {
        TWOSTAGE_RERANKER: 'tei:BAAI/bge-reranker-base',
        TEI_BASE_URL: server().url,
        TEI_API_KEY: teiTestApiKey,
      },
    });
    expect(JSON.parse(stdout)).toEqual({
      provider: 'tei',
      modelId: 'BAAI/bge-reranker-base',
      ranking: [
        { index: 1, score: 1, document: 'the loan fee' },
        { index: 0, score: 0, document: 'hours' },
      ],
    });
    // max_client_batch_size 1: two windows, after one GET /info.
    expect(
      server()
        .requests.map((request) => request.path)
        .sort(),
    ).toEqual(['/info', '/rerank', '/rerank']);
  }, 120_000);

  test('the registry entry checks the model and the setting names', () => {
    expect(() => twostageProvider.reranker(undefined)).toThrow(InvalidArgumentError);
    expect(() =>
      twostageProvider.reranker('m', { settings: { baseUrl: server().url, topN: 3 } }),
    ).toThrow(InvalidArgumentError);
    const stage = twostageProvider.reranker('m', {
      settings: { baseUrl: server().url, rawScores: true, maxDocumentsPerCall: 5 },
    });
    expect(stage.scoreKind).toBe('logit');
    expect(stage.maxDocumentsPerCall).toBe(5);
  });

  test('the embedding entry needs dimensions and builds a TEI embedding model', async () => {
    expect(() =>
      twostageProvider.embeddingModel('m', { settings: { baseUrl: server().url } }),
    ).toThrow(InvalidArgumentError);
    const model = twostageProvider.embeddingModel('m', {
      settings: { baseUrl: server().url, apiKey: teiTestApiKey, dimensions: 16 },
    });
    expect(model.dimensions).toBe(16);
    const result = await model.doEmbed({ values: ['fee'], inputType: 'query' });
    expect(result.embeddings[0]?.length).toBe(16);
  });

  test('VERSION matches package.json', () => {
    const manifest = JSON.parse(
      readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
    ) as { version: string };
    expect(VERSION).toBe(manifest.version);
  });
});
