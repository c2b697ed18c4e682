import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@twostage/core';
import { runInTemporaryApp } from '@twostage/testkit';
import { describe, expect, test } from 'vitest';
import { twostageProvider, VERSION } from '../src/index.js';
import { engineApiKey, useEngineEmulator } from './helpers/use-engine-emulator.js';

const vllm = useEngineEmulator({ engine: 'vllm', apiKey: engineApiKey });

describe('configuration alone reaches a vLLM fleet', () => {
  test('TWOSTAGE_RERANKER=rerank-compatible:<model> in an app that installed core and this package', async () => {
    const stdout = await runInTemporaryApp({
      packages: {
        '@twostage/core': fileURLToPath(new URL('../../core', import.meta.url)),
        '@twostage/provider-rerank-compatible': fileURLToPath(new URL('..', import.meta.url)),
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
        TWOSTAGE_RERANKER: 'rerank-compatible:BAAI/bge-reranker-v2-m3',
        RERANK_COMPATIBLE_BASE_URL: vllm().url,
        RERANK_COMPATIBLE_API: 'jina-v1',
        RERANK_COMPATIBLE_API_KEY: engineApiKey,
      },
    });
    expect(JSON.parse(stdout)).toEqual({
      provider: 'rerank-compatible',
      modelId: 'BAAI/bge-reranker-v2-m3',
      ranking: [
        { index: 1, score: 1, document: 'the loan fee' },
        { index: 0, score: 0, document: 'hours' },
      ],
    });
    expect(vllm().requests.map(({ path, body }) => ({ path, body }))).toEqual([
      {
        path: '/v1/rerank',
        body: {
          model: 'BAAI/bge-reranker-v2-m3',
          query: 'loan fee',
          documents: ['hours', 'the loan fee'],
          return_documents: false,
        },
      },
    ]);
  }, 60_000);

  test("the registry's settings carry provider settings and reranker options", async () => {
    const stage = await twostageProvider.reranker('m', {
      settings: {
        baseUrl: vllm().url,
        api: 'cohere-v2',
        apiKey: engineApiKey,
        maxDocumentsPerCall: 50,
        rawScores: true,
      },
    });
    expect(stage).toMatchObject({
      provider: 'rerank-compatible',
      modelId: 'm',
      maxDocumentsPerCall: 50,
      scoreKind: 'logit',
    });
  });

  test('a bare reference or an unknown setting is an InvalidArgumentError', () => {
    expect(() => twostageProvider.reranker(undefined, {})).toThrow(InvalidArgumentError);
    expect(() => twostageProvider.reranker('m', { settings: { baseurl: 'http://x' } })).toThrow(
      /settings\.baseurl.*did you mean 'baseUrl'/,
    );
  });

  test('VERSION equals package.json', () => {
    const packageJson = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(VERSION).toBe(packageJson.version);
  });
});
