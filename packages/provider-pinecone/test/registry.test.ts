import { fileURLToPath } from 'node:url';
import { runInTemporaryApp } from '@twostage/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

let bed: PineconeTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
afterEach(() => {
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

describe('configuration alone moves stage 1 to Pinecone', () => {
  test('TWOSTAGE_RETRIEVER=pinecone:<index> in an app that installed only core and this package', async () => {
    const index = await bed.createIndex({ dimension: 1024 });
    const ingested = await bed.provider.upsertDocuments({
      index,
      documents: [
        { id: 'fee', text: 'Repaying a home loan early costs an early repayment fee of 2%.' },
        { id: 'hours', text: 'Branches are open from 8 am to 5 pm on weekdays.' },
      ],
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
    });
    expect(ingested.failed).toEqual([]);

    // An application directory whose node_modules holds only core and this provider, as
    // `pnpm add @twostage/core @twostage/provider-pinecone` leaves it: core's registry imports
    // the provider by its package name from there (nothing is registered by hand). A child
    // process with the source condition, so no build is needed.
    const before = bed.emulator.requests.length;
    const stdout = await runInTemporaryApp({
      packages: {
        '@twostage/core': fileURLToPath(new URL('../../core', import.meta.url)),
        '@twostage/provider-pinecone': fileURLToPath(new URL('..', import.meta.url)),
      },
      files: {
        'main.ts': [
          "import { resolveReranker, resolveRetriever, twoStage } from '@twostage/core';",
          'const retriever = await resolveRetriever();',
          'const reranker = await resolveReranker();',
          "const { results } = await twoStage({ query: 'early repayment fee', retriever, reranker, rerankTopN: 1 });",
          'console.log(JSON.stringify({',
          '  retriever: [retriever.provider, retriever.modelId, retriever.mode],',
          '  reranker: [reranker.provider, reranker.modelId],',
          '  ids: results.map((result) => result.id),',
          '}));',
        ].join('\n'),
      },
      entry: 'main.ts',
      env: {
        PINECONE_API_KEY: bed.emulator.apiKey,
        PINECONE_CONTROLLER_HOST: bed.emulator.controllerHostUrl,
        TWOSTAGE_RETRIEVER: `pinecone:${index}`,
        TWOSTAGE_EMBEDDING_MODEL: 'pinecone:multilingual-e5-large',
        TWOSTAGE_RERANKER: 'pinecone:bge-reranker-v2-m3',
      },
    });
    expect(JSON.parse(stdout)).toEqual({
      retriever: ['pinecone', index, 'vector'],
      reranker: ['pinecone', 'bge-reranker-v2-m3'],
      ids: ['fee'],
    });
    const sent = bed.emulator.requests.slice(before);
    expect(
      sent.map((request) => [request.operation, request.index ?? null]).filter(unique),
    ).toEqual([
      ['describeIndex', null],
      ['embed', null],
      ['query', index],
      ['rerank', null],
    ]);
    expect(sent.find((request) => request.operation === 'embed')?.body).toMatchObject({
      model: 'multilingual-e5-large',
      parameters: { input_type: 'query' },
    });
    expect(sent.find((request) => request.operation === 'rerank')?.body).toMatchObject({
      model: 'bge-reranker-v2-m3',
      query: 'early repayment fee',
    });
  }, 60_000);
});

/** Keeps the first of equal `[operation, index]` pairs (the SDK may repeat the host lookup). */
function unique(pair: unknown[], position: number, pairs: unknown[][]): boolean {
  return pairs.findIndex((other) => JSON.stringify(other) === JSON.stringify(pair)) === position;
}
