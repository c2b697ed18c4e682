import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type RerankStageV1,
  type RetrieveStageV1,
  rerank,
  retrieve,
  twoStage,
} from '@twostage/core';
import { MockEmbeddingModel, MockRerankStage, MockRetrieveStage } from '@twostage/core/mock';
import { createCohere } from '@twostage/provider-cohere';
import { createLocalOnnx } from '@twostage/provider-local-onnx';
import { createPinecone } from '@twostage/provider-pinecone';
import { createTei } from '@twostage/provider-tei';
import {
  type CohereFault,
  startCohereEmulator,
} from '../../packages/provider-cohere/test/emulator/cohere-emulator.js';
import { fixtureModel } from '../../packages/provider-local-onnx/test/fixture-models.js';
import {
  type EmulatorFault,
  startPineconeEmulator,
} from '../../packages/provider-pinecone/test/emulator/pinecone-emulator.js';
import {
  startTeiEmulator,
  type TeiFault,
} from '../../packages/provider-tei/test/emulator/tei-emulator.js';
import { type FaultFigures, measureCalls } from './fault-figures.js';

/** One fault scenario: what goes wrong, where, and what must come of it. */
export type FaultScenario = {
  target: string;
  fault: string;
  calls: number;
  /** The deadline of each call (`timeoutMs`), which no call may outlast. */
  deadlineMs: number;
  /** What must happen: how many calls complete, and the error the others fail with. */
  expected: { completed: number; failedWith?: string; minRetries?: number; maxRetries?: number };
  run: () => Promise<FaultFigures>;
};

const apiKey = 'emulator-key-0123456789';
const query = 'early repayment fee of a home loan';
const documents = Array.from({ length: 20 }, (_, index) =>
  index % 5 === 0
    ? `policy ${index}: the early repayment fee of a home loan is ${index % 3} percent`
    : `policy ${index}: card and savings terms, branch hours and transfer limits ${index}`,
);

/** A ranking as comparable data: index and score of each item, best first. */
const rankingOf = (result: { ranking: readonly { index: number; score: number }[] }) =>
  JSON.stringify(result.ranking.map(({ index, score }) => [index, score]));

/** A Cohere rerank scenario: `faults` scripted on the emulator's next requests. */
function cohereRerank(
  fault: string,
  faults: CohereFault[],
  expected: FaultScenario['expected'],
  {
    perAttemptMs = 400,
    deadlineMs = 3000,
    calls = 4,
    abortAfterMs = undefined as number | undefined,
  } = {},
): FaultScenario {
  return {
    target: 'Cohere rerank',
    fault,
    calls,
    deadlineMs,
    expected,
    async run() {
      const emulator = await startCohereEmulator({ apiKey });
      const model = createCohere({
        apiKey,
        baseUrl: emulator.url,
        timeoutMs: perAttemptMs,
      }).reranker('rerank-v3.5');
      const call = () =>
        rerank({
          model,
          query,
          documents,
          topN: 5,
          timeoutMs: deadlineMs,
          // The caller's own abort (a user who navigated away), well before the deadline.
          ...(abortAfterMs === undefined ? {} : { abortSignal: AbortSignal.timeout(abortAfterMs) }),
        });
      const reference = rankingOf(
        await rerank({ model, query, documents, topN: 5, timeoutMs: deadlineMs }),
      );
      emulator.reset();
      emulator.script(...faults);
      return measureCalls({
        calls,
        call,
        same: (result) => rankingOf(result) === reference,
        requests: () => emulator.requests.length,
        teardown: () => emulator.close(),
      });
    },
  };
}

/** A TEI rerank scenario: `faults` scripted on the emulator's next `/rerank` requests. */
function teiRerank(
  fault: string,
  faults: TeiFault[],
  expected: FaultScenario['expected'],
  { deadlineMs = 3000, calls = 4 } = {},
): FaultScenario {
  return {
    target: 'TEI rerank',
    fault,
    calls,
    deadlineMs,
    expected,
    async run() {
      // One window a call (TEI's default batch limit, 32 ≥ 20 documents), so requests beyond one
      // per call are retries; windowing is tested in packages/provider-tei.
      const emulator = await startTeiEmulator();
      const model = createTei({ baseUrl: emulator.url, timeoutMs: 400 }).reranker(
        'BAAI/bge-reranker-base',
      );
      const call = () => rerank({ model, query, documents, topN: 5, timeoutMs: deadlineMs });
      const reference = rankingOf(await call());
      const reranks = () =>
        emulator.requests.filter((request) => request.path === '/rerank').length;
      const before = reranks();
      emulator.script(...faults);
      return measureCalls({
        calls,
        call,
        same: (result) => rankingOf(result) === reference,
        requests: () => reranks() - before,
        teardown: () => emulator.close(),
      });
    },
  };
}

/** A Pinecone query scenario: `fault` applied to the next `times` queries. */
function pineconeQuery(
  fault: string,
  emulatorFault: EmulatorFault,
  expected: FaultScenario['expected'],
  { perAttemptMs = 400, deadlineMs = 3000, calls = 4 } = {},
): FaultScenario {
  return {
    target: 'Pinecone query',
    fault,
    calls,
    deadlineMs,
    expected,
    async run() {
      const emulator = await startPineconeEmulator();
      const provider = createPinecone({
        apiKey: emulator.apiKey,
        controllerHostUrl: emulator.controllerHostUrl,
        timeoutMs: perAttemptMs,
      });
      await emulator.createIndex({ name: 'faults', dimension: 16, metric: 'cosine' });
      const embeddingModel = new MockEmbeddingModel({ dimensions: 16 });
      await provider.upsertDocuments({
        index: 'faults',
        documents: documents.map((text, index) => ({ id: `d${index}`, text })),
        embeddingModel,
      });
      const retriever = provider.retriever({ index: 'faults', embeddingModel });
      const call = () => retrieve({ retriever, query, topK: 5, timeoutMs: deadlineMs });
      const candidatesOf = (result: Awaited<ReturnType<typeof call>>) =>
        JSON.stringify(result.candidates.map(({ id, score }) => [id, score]));
      const reference = candidatesOf(await call());
      const queriesBefore = emulator.requestsOf('query').length;
      emulator.fault({ operation: 'query', ...emulatorFault });
      return measureCalls({
        calls,
        call,
        same: (result) => candidatesOf(result) === reference,
        requests: () => emulator.requestsOf('query').length - queriesBefore,
        teardown: () => emulator.close(),
      });
    },
  };
}

/** A stage that never settles and ignores its abort signal, the worst a custom stage can do. */
const hangingReranker: RerankStageV1 = {
  specificationVersion: 'v1',
  provider: 'custom',
  modelId: 'hangs',
  scoreKind: 'probability',
  maxDocumentsPerCall: undefined,
  doRerank: () => new Promise(() => undefined),
};
const hangingRetriever: RetrieveStageV1 = {
  specificationVersion: 'v1',
  provider: 'custom',
  modelId: 'hangs',
  maxTopK: undefined,
  doRetrieve: () => new Promise(() => undefined),
};

/**
 * One quick search first, so the module loading of the first `twoStage` call of a process (its
 * tracing hook) is not counted in a scenario that measures time to a deadline.
 */
async function warmUpTwoStage(): Promise<void> {
  const retriever = new MockRetrieveStage({ documents: [{ id: 'a', text: 'fee' }] });
  await twoStage({ retriever, reranker: new MockRerankStage(), query: 'fee' });
}

/** Every scenario of the suite, in the order of the table. */
export const faultScenarios: FaultScenario[] = [
  cohereRerank(
    '429 storm with Retry-After: 0.2 (one per call)',
    Array.from(
      { length: 4 },
      () => ({ type: 'status', status: 429, headers: { 'retry-after': '0.2' } }) as const,
    ),
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  cohereRerank(
    '429 storm without Retry-After, longer than the retries (12 × 429)',
    Array.from({ length: 12 }, () => ({ type: 'status', status: 429 }) as const),
    { completed: 0, failedWith: 'RetryError', minRetries: 8, maxRetries: 8 },
  ),
  cohereRerank(
    '5xx: 503 then 500 on each call',
    [
      ...Array.from({ length: 4 }, () => ({ type: 'status', status: 503 }) as const),
      ...Array.from({ length: 4 }, () => ({ type: 'status', status: 500 }) as const),
    ],
    { completed: 4, minRetries: 8, maxRetries: 8 },
  ),
  cohereRerank(
    'no answer (5 s) past the per-attempt timeout of 400 ms, every attempt',
    Array.from({ length: 16 }, () => ({ type: 'delay', ms: 5000 }) as const),
    { completed: 0, failedWith: 'TimeoutError', minRetries: 4 },
    { deadlineMs: 1500 },
  ),
  cohereRerank(
    'connection reset before the answer (one per call)',
    Array.from({ length: 4 }, () => ({ type: 'reset' }) as const),
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  cohereRerank(
    'connection reset mid-body (one per call)',
    Array.from({ length: 4 }, () => ({ type: 'reset-mid-body' }) as const),
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  cohereRerank(
    'malformed JSON with 200',
    Array.from({ length: 4 }, () => ({ type: 'malformed-json' }) as const),
    { completed: 0, failedWith: 'ApiCallError', maxRetries: 0 },
  ),
  cohereRerank(
    'slow drip: the body in 10 pieces 150 ms apart (past the 400 ms attempt), once per call',
    Array.from({ length: 4 }, () => ({ type: 'drip', chunks: 10, intervalMs: 150 }) as const),
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  cohereRerank(
    'slow drip within the attempt: 4 pieces 50 ms apart',
    Array.from({ length: 4 }, () => ({ type: 'drip', chunks: 4, intervalMs: 50 }) as const),
    { completed: 4, maxRetries: 0 },
  ),
  cohereRerank(
    'headers, then the body stalls (every attempt)',
    Array.from({ length: 16 }, () => ({ type: 'stall-body' }) as const),
    { completed: 0, failedWith: 'TimeoutError', minRetries: 4 },
    { deadlineMs: 1500 },
  ),
  cohereRerank(
    'the caller aborts after 250 ms while the body stalls',
    Array.from({ length: 4 }, () => ({ type: 'stall-body' }) as const),
    { completed: 0, failedWith: 'AbortedError', maxRetries: 0 },
    { perAttemptMs: 2000, abortAfterMs: 250 },
  ),
  pineconeQuery(
    '429 with Retry-After: 0.1 (one per call)',
    { status: 429, headers: { 'retry-after': '0.1' }, times: 4 },
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  pineconeQuery(
    '503 (one per call)',
    { status: 503, times: 4 },
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  pineconeQuery(
    'no answer (5 s) past the per-attempt timeout of 400 ms, every attempt',
    { delayMs: 5000, times: 16 },
    { completed: 0, failedWith: 'TimeoutError', minRetries: 4 },
    { deadlineMs: 1500 },
  ),
  pineconeQuery(
    'connection reset (one per call)',
    { reset: true, times: 4 },
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  pineconeQuery(
    'malformed JSON with 200',
    { malformed: true, times: 4 },
    { completed: 0, failedWith: 'ApiCallError', maxRetries: 0 },
  ),
  teiRerank(
    '429 Overloaded (one per call)',
    Array.from(
      { length: 4 },
      () =>
        ({
          type: 'status',
          status: 429,
          body: { error: 'Model is overloaded', error_type: 'Overloaded' },
        }) as const,
    ),
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  teiRerank(
    '503 Unhealthy (one per call)',
    Array.from(
      { length: 4 },
      () =>
        ({
          type: 'status',
          status: 503,
          body: { error: 'unhealthy', error_type: 'Unhealthy' },
        }) as const,
    ),
    { completed: 4, minRetries: 4, maxRetries: 4 },
  ),
  teiRerank(
    '424 Backend (not retried)',
    Array.from(
      { length: 4 },
      () =>
        ({
          type: 'status',
          status: 424,
          body: { error: 'backend failed', error_type: 'Backend' },
        }) as const,
    ),
    { completed: 0, failedWith: 'ApiCallError', maxRetries: 0 },
  ),
  teiRerank(
    'malformed JSON with 200',
    Array.from({ length: 4 }, () => ({ type: 'malformed-json' }) as const),
    { completed: 0, failedWith: 'InvalidResponseError', maxRetries: 0 },
  ),
  {
    target: 'custom rerank stage',
    fault: 'never settles, ignores its abort signal',
    calls: 4,
    deadlineMs: 300,
    expected: { completed: 0, failedWith: 'TimeoutError', maxRetries: 0 },
    run: () =>
      measureCalls({
        calls: 4,
        call: () => rerank({ model: hangingReranker, query, documents, timeoutMs: 300 }),
        same: () => true,
        requests: () => 4,
        teardown: async () => undefined,
      }),
  },
  {
    target: 'twoStage, custom retriever',
    fault: 'stage 1 never settles',
    calls: 4,
    deadlineMs: 300,
    expected: { completed: 0, failedWith: 'TimeoutError', maxRetries: 0 },
    run: async () => {
      await warmUpTwoStage();
      return measureCalls({
        calls: 4,
        call: () =>
          twoStage({
            retriever: hangingRetriever,
            reranker: hangingReranker,
            query,
            timeoutMs: 300,
          }),
        same: () => true,
        requests: () => 4,
        teardown: async () => undefined,
      });
    },
  },
  {
    target: 'twoStage, custom reranker',
    fault: "stage 2 never settles, onRerankError: 'fallback', rerankTimeoutMs 200",
    calls: 4,
    deadlineMs: 1000,
    expected: { completed: 4, maxRetries: 0 },
    run: async () => {
      const retriever = new MockRetrieveStage({
        documents: documents.map((text, index) => ({ id: `d${index}`, text })),
      });
      const call = () =>
        twoStage({
          retriever,
          reranker: hangingReranker,
          query,
          retrieveTopK: 10,
          rerankTopN: 3,
          onRerankError: 'fallback',
          rerankTimeoutMs: 200,
          timeoutMs: 1000,
        });
      await warmUpTwoStage();
      const stageOne = (await retrieve({ retriever, query, topK: 10 })).candidates
        .slice(0, 3)
        .map(({ id }) => id);
      return measureCalls({
        calls: 4,
        call,
        // Degraded, in stage-1 order, nothing lost or added.
        same: (result) =>
          result.degraded === true &&
          JSON.stringify(result.results.map(({ id }) => id)) === JSON.stringify(stageOne),
        requests: () => 4,
        teardown: async () => undefined,
      });
    },
  },
  {
    target: 'local ONNX reranker',
    fault: 'the model file disappears before the first call',
    calls: 2,
    deadlineMs: 10_000,
    expected: { completed: 0, failedWith: 'ModelNotFoundError', maxRetries: 0 },
    run: async () => {
      const directory = join(mkdtempSync(join(tmpdir(), 'twostage-vanish-')), 'model');
      cpSync(fixtureModel('bert-cross-encoder'), directory, { recursive: true });
      const model = createLocalOnnx().reranker(directory, { worker: false });
      rmSync(join(directory, 'onnx'), { recursive: true, force: true });
      return measureCalls({
        calls: 2,
        call: () => rerank({ model, query, documents, timeoutMs: 10_000 }),
        same: () => true,
        requests: () => 2,
        teardown: () => model.close(),
      });
    },
  },
  {
    target: 'local ONNX reranker',
    fault: 'the model file disappears after it loaded (calls go on from memory)',
    calls: 4,
    deadlineMs: 10_000,
    expected: { completed: 4, maxRetries: 0 },
    run: async () => {
      const directory = join(mkdtempSync(join(tmpdir(), 'twostage-vanish-')), 'model');
      cpSync(fixtureModel('bert-cross-encoder'), directory, { recursive: true });
      const model = createLocalOnnx().reranker(directory, { worker: false });
      const call = () => rerank({ model, query, documents, topN: 5, timeoutMs: 10_000 });
      const reference = rankingOf(await call());
      rmSync(join(directory, 'onnx'), { recursive: true, force: true });
      return measureCalls({
        calls: 4,
        call,
        same: (result) => rankingOf(result) === reference,
        requests: () => 4,
        teardown: () => model.close(),
      });
    },
  },
];
