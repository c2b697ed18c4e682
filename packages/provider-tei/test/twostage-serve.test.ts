import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApiCallError, rerank } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { rerankStageTests } from '@twostage/core/testing';
import { createLocalOnnx, type LocalOnnxRerankStage } from '@twostage/provider-local-onnx';
import { tinyCrossEncoder, writeSyntheticModel } from '@twostage/provider-local-onnx/testing';
import { createRerankServer, createServerLogger, type RerankServer } from '@twostage/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTei } from '../src/index.js';

/** Request logs go nowhere: the test output stays readable. */
const quietLogger = () =>
  createServerLogger(new Writable({ write: (_chunk, _encoding, done) => done() }));

// Step 2 of docs/scaling-stage-2.md: the TEI adapter pointed at `twostage serve`'s TEI routes.
const token = 'serve-token-0123456789abcdef';
let server: RerankServer;
let url: string;

beforeAll(async () => {
  server = createRerankServer({
    reranker: new MockRerankStage({}),
    tokens: [token],
    limits: { maxDocumentsPerRequest: 3 },
    logger: quietLogger(),
    warmUp: false,
  });
  url = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close({ timeoutMs: 1_000 });
});

describe('the TEI adapter against twostage serve', () => {
  test('reranks through /rerank, windowed by the server /info limit', async () => {
    const documents = ['hours', 'the annual fee', 'parking', 'fees and the annual fee', 'x'];
    const direct = await rerank({ model: new MockRerankStage({}), query: 'annual fee', documents });
    const served = await rerank({
      model: createTei({ baseUrl: url, apiKey: token }).reranker('served'),
      query: 'annual fee',
      documents,
    });
    expect(served.ranking.map((entry) => [entry.index, entry.score])).toEqual(
      direct.ranking.map((entry) => [entry.index, entry.score]),
    );
  });

  test('a wrong token is a 401 ApiCallError', async () => {
    const error = await createTei({ baseUrl: url, apiKey: 'wrong-token-0123456789abcdef' })
      .reranker('served')
      .doRerank({ query: 'q', documents: { type: 'text', values: ['a'] } })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).statusCode).toBe(401);
  });
});

// "Switch by configuration", the TEI way: the TEI adapter, its base URL set to the server, passes
// core's rerank conformance suite against a real (synthetic, random-weight) ONNX cross-encoder,
// windowed by the server's own /info limits.
describe('TEI adapter → twostage serve → local ONNX (synthetic BERT): conformance', () => {
  let directory: string;
  let stage: LocalOnnxRerankStage;
  let modelServer: RerankServer;
  let modelUrl: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'twostage-tei-serve-'));
    await writeSyntheticModel(directory, tinyCrossEncoder({ seed: 7 }));
    stage = createLocalOnnx().reranker(directory);
    modelServer = createRerankServer({
      reranker: stage,
      tokens: [token],
      // Small enough that the suite's larger calls are cut into windows by the adapter.
      limits: { maxDocumentsPerRequest: 64, maxConcurrentDocuments: 256 },
      logger: quietLogger(),
    });
    modelUrl = await modelServer.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await modelServer?.close({ timeoutMs: 5_000 });
    await stage?.close();
    await rm(directory, { recursive: true, force: true });
  });

  rerankStageTests(test, () => createTei({ baseUrl: modelUrl, apiKey: token }).reranker('served'), {
    scoreKind: 'probability',
    // Random weights know no relevance.
    lexicalRelevance: false,
    semanticRelevance: false,
    unicodeNormalization: true,
    maxTestedDocuments: 300,
    timeoutMs: 60_000,
  });
});
