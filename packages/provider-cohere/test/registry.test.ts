import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  registerProvider,
  resolveEmbeddingModel,
  resolveReranker,
  unregisterProvider,
} from '@twostage/core';
import { runInTemporaryApp } from '@twostage/testkit';
import { afterEach, describe, expect, test } from 'vitest';
import { twostageProvider, VERSION } from '../src/index.js';
import { emulatorApiKey, useCohereEmulator } from './helpers/use-cohere-emulator.js';

const emulator = useCohereEmulator();

afterEach(() => {
  unregisterProvider('cohere');
});

describe('configuration alone picks Cohere', () => {
  test('TWOSTAGE_RERANKER=cohere:rerank-multilingual-v3.0 in an app that installed core and this package', async () => {
    // An application directory whose node_modules holds only core and this provider, as
    // `pnpm add @twostage/core @twostage/provider-cohere` leaves it; core imports the provider
    // from there by name. Run in a child process with the source condition (no build needed).
    const stdout = await runInTemporaryApp({
      packages: {
        '@twostage/core': fileURLToPath(new URL('../../core', import.meta.url)),
        '@twostage/provider-cohere': fileURLToPath(new URL('..', import.meta.url)),
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
        TWOSTAGE_RERANKER: 'cohere:rerank-multilingual-v3.0',
        COHERE_API_KEY: emulatorApiKey,
        COHERE_BASE_URL: emulator().url,
      },
    });
    expect(JSON.parse(stdout)).toEqual({
      provider: 'cohere',
      modelId: 'rerank-multilingual-v3.0',
      ranking: [
        { index: 1, score: 1, document: 'the loan fee' },
        { index: 0, score: 0, document: 'hours' },
      ],
    });
    expect(emulator().requests.map((request) => request.body)).toEqual([
      {
        model: 'rerank-multilingual-v3.0',
        query: 'loan fee',
        documents: ['hours', 'the loan fee'],
      },
    ]);
  }, 60_000);

  test('a bare cohere reference and registry settings', async () => {
    registerProvider('cohere', twostageProvider);
    const reranker = await resolveReranker('cohere', { settings: { priority: 3 } });
    expect(reranker.modelId).toBe('rerank-v3.5');
    const embedding = await resolveEmbeddingModel('cohere:embed-v4.0', {
      settings: { dimensions: 256 },
    });
    expect(embedding.dimensions).toBe(256);
  });
});

describe('the registry entry point', () => {
  test('builds a reranker from a model id and settings, the key read from the environment', async () => {
    const stage = twostageProvider.reranker('rerank-multilingual-v3.0', {
      settings: { baseUrl: emulator().url, maxTokensPerDoc: 256 },
    });
    expect(stage).toMatchObject({
      provider: 'cohere',
      modelId: 'rerank-multilingual-v3.0',
      maxDocumentsPerCall: 1000,
      scoreKind: 'probability',
    });
    process.env.COHERE_API_KEY = emulatorApiKey;
    const result = await stage.doRerank({
      query: 'loan',
      documents: { type: 'text', values: ['a loan', 'b'] },
    });
    expect(result.ranking).toEqual([
      { index: 0, score: 1 },
      { index: 1, score: 0 },
    ]);
    expect(emulator().requests[0]?.body).toMatchObject({
      model: 'rerank-multilingual-v3.0',
      max_tokens_per_doc: 256,
    });
  });

  test('builds an embedding model, with dimensions from the settings', () => {
    expect(
      twostageProvider.embeddingModel('embed-v4.0', { settings: { dimensions: '256' } }).dimensions,
    ).toBe(256);
    expect(twostageProvider.embeddingModel('embed-english-v3.0').dimensions).toBe(1024);
  });

  test('rejects mistyped settings', () => {
    expect(() => twostageProvider.reranker('rerank-v3.5', { settings: { apiKey: 42 } })).toThrow(
      /settings.apiKey/,
    );
    expect(() => twostageProvider.reranker('rerank-v3.5', { settings: { priority: -1 } })).toThrow(
      /settings.priority/,
    );
  });
});

test('VERSION matches package.json', () => {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(VERSION).toBe(packageJson.version);
});
