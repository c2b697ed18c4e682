import { describe, expect, test } from 'vitest';
import { AbortedError } from '../../src/errors/aborted-error.js';
import { ApiCallError } from '../../src/errors/api-call-error.js';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import { InvalidResponseError } from '../../src/errors/invalid-response-error.js';
import { TimeoutError } from '../../src/errors/timeout-error.js';
import { wrapRerankStage } from '../../src/middleware/wrap-rerank-stage.js';
import { MockRerankStage, MockRetrieveStage } from '../../src/mock/index.js';
import { createPipeline } from '../../src/pipeline/create-pipeline.js';
import { twoStage } from '../../src/pipeline/two-stage.js';
import { type RerankOptions, rerank } from '../../src/rerank/rerank.js';
import type {
  LongDocumentWindowsV1Options,
  RerankStageV1,
} from '../../src/spec/v1/rerank-stage-v1.js';

// A model that reads 400 characters (100 tokens at core's 4 characters per token) of each
// document: the share of the query's words found there.
const readLimit = 400;
function truncatedOverlap(text: string, query: string): number {
  const seen = new Set(text.slice(0, readLimit).toLowerCase().split(/\W+/));
  const wanted = query.toLowerCase().split(/\W+/);
  return wanted.filter((word) => seen.has(word)).length / wanted.length;
}

const query = 'early repayment fee';
// 200 words of 9 characters: by the estimate a 100-token window holds 40 of them (399
// characters), so the filler alone is 5 windows without overlap.
const filler = Array.from(
  { length: 200 },
  (_, index) => `filler${String(index).padStart(3, '0')}`,
).join(' ');
const passage = 'the early repayment fee is one percent';
const longDocument = `${filler} ${passage}`;
const rival = 'repayment schedule of a loan';
const documents = [rival, longDocument, 'opening hours of the branch'];

const mock = () => new MockRerankStage({ score: truncatedOverlap });

async function refusal(options: unknown): Promise<InvalidArgumentError> {
  const error = await rerank(options as RerankOptions).catch((caught: unknown) => caught);
  if (!InvalidArgumentError.isInstance(error))
    throw new Error(`expected InvalidArgumentError, got ${String(error)}`);
  return error;
}

describe("rerank({ longDocuments: { strategy: 'chunk-max' } })", () => {
  test('a document whose only relevant passage lies past the truncation point ranks first by it', async () => {
    const truncated = await rerank({ model: mock(), query, documents });
    expect(truncated.ranking.map(({ index }) => index)).toEqual([0, 1, 2]);
    expect(truncated.ranking[1]).toEqual({ index: 1, score: 0, document: longDocument });

    const model = mock();
    const chunked = await rerank({
      model,
      query,
      documents,
      longDocuments: { strategy: 'chunk-max', maxWindowTokens: 100, overlap: 0 },
    });
    expect(chunked.ranking.map(({ index, score }) => [index, score])).toEqual([
      [1, 1],
      [0, 1 / 3],
      [2, 0],
    ]);
    const best = chunked.ranking[0];
    // The last window holds the passage and what precedes it within 100 estimated tokens.
    expect(best?.chunk?.end).toBe(longDocument.length);
    const chunkText = longDocument.slice(best?.chunk?.start, best?.chunk?.end);
    expect(chunkText.endsWith(passage)).toBe(true);
    expect(chunkText.length).toBeLessThanOrEqual(readLimit);
    expect(best?.chunk?.start).toBeGreaterThan(readLimit);
    // Documents that fit whole carry no chunk, and the caller's documents come back as given.
    expect(chunked.ranking[1]).toEqual({ index: 0, score: 1 / 3, document: rival });

    // The reported passage, reranked alone, gives the same score.
    const alone = await rerank({ model: mock(), query, documents: [chunkText] });
    expect(alone.ranking[0]?.score).toBe(best?.score);
  });

  test('every window is scored, in one call here, and usage counts them', async () => {
    const model = mock();
    const result = await rerank({
      model,
      query,
      documents,
      longDocuments: { strategy: 'chunk-max', maxWindowTokens: 100, overlap: 0 },
    });
    const sent = model.calls.flatMap((call) => call.documents.values as string[]);
    // 2 short documents + 6 windows: 5 of filler (40 words each), then the passage.
    expect(sent).toHaveLength(8);
    expect(result.usage.windows).toBe(8);
    expect(result.usage.searchUnits).toBe(1);
    expect(sent[0]).toBe(rival);
    expect(sent[1]).toBe(filler.split(' ').slice(0, 40).join(' '));
    expect(sent[5]).toBe(filler.split(' ').slice(160).join(' '));
    expect(sent[6]).toBe(passage);
    expect(sent[7]).toBe(documents[2]);
    for (const text of sent) expect(text.length).toBeLessThanOrEqual(readLimit);
  });

  test('windows travel in the windows of maxDocumentsPerCall, under maxConcurrency, without topN', async () => {
    const model = new MockRerankStage({
      score: truncatedOverlap,
      maxDocumentsPerCall: 3,
      latencyMs: 5,
    });
    const result = await rerank({
      model,
      query,
      documents,
      topN: 1,
      maxConcurrency: 2,
      longDocuments: { strategy: 'chunk-max', maxWindowTokens: 100, overlap: 0 },
    });
    expect(model.calls.map((call) => call.documents.values.length)).toEqual([3, 3, 2]);
    // A window's top 1 could be another window of the same document: every score is needed.
    expect(model.calls.map((call) => call.topN)).toEqual([undefined, undefined, undefined]);
    expect(model.maxActiveCalls).toBe(2);
    expect(result.timings.calls).toBe(3);
    expect(result.usage.searchUnits).toBe(3);
    expect(result.ranking.map(({ index }) => index)).toEqual([1]);
  });

  test('when nothing needs splitting, the call is the one truncate makes (topN included)', async () => {
    const short = [rival, passage];
    const chunkModel = mock();
    const plainModel = mock();
    const chunked = await rerank({
      model: chunkModel,
      query,
      documents: short,
      topN: 1,
      longDocuments: { strategy: 'chunk-max', maxWindowTokens: 100 },
    });
    const plain = await rerank({ model: plainModel, query, documents: short, topN: 1 });
    expect(chunked.ranking).toEqual(plain.ranking);
    expect(chunkModel.calls.map(({ documents: sent, topN }) => [sent, topN])).toEqual(
      plainModel.calls.map(({ documents: sent, topN }) => [sent, topN]),
    );
    expect(chunked.usage.windows).toBe(2);
  });

  test("strategy 'truncate' is today's behaviour", async () => {
    const model = mock();
    const result = await rerank({
      model,
      query,
      documents,
      longDocuments: { strategy: 'truncate', overlap: 8 },
    });
    expect(model.calls[0]?.documents.values).toEqual(documents);
    expect(result.ranking.every((item) => item.chunk === undefined)).toBe(true);
    expect(result.usage.windows).toBeUndefined();
  });

  test('a stage that declares maxInputTokens is windowed from it, beside the query', async () => {
    const inner = mock();
    const model: RerankStageV1 = {
      specificationVersion: 'v1',
      provider: 'mock',
      modelId: 'declared',
      maxDocumentsPerCall: undefined,
      scoreKind: 'probability',
      // 109 − the query's 4.75 estimated tokens (19 characters) − 4 reserved = a 100-token window.
      maxInputTokens: 109,
      doRerank: (options) => inner.doRerank(options),
    };
    const result = await rerank({
      model,
      query,
      documents,
      longDocuments: { strategy: 'chunk-max', overlap: 0 },
    });
    expect(result.ranking[0]?.index).toBe(1);
    const sent = inner.calls.flatMap((call) => call.documents.values as string[]);
    expect(sent[1]).toBe(filler.split(' ').slice(0, 40).join(' '));
  });

  test('a stage that cannot be windowed gets documents whole, with a warning naming why', async () => {
    const model = mock();
    const result = await rerank({
      model,
      query,
      documents,
      longDocuments: { strategy: 'chunk-max' },
    });
    expect(model.calls[0]?.documents.values).toEqual(documents);
    expect(result.ranking.map(({ index }) => index)).toEqual([0, 1, 2]);
    expect(result.usage.windows).toBe(3);
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'longDocuments' }),
    ]);
    expect(JSON.stringify(result.warnings)).toContain('maxWindowTokens');
  });

  test("a stage's own planner decides the windows, through middleware too", async () => {
    const inner = mock();
    const planned: LongDocumentWindowsV1Options[] = [];
    class PlanningStage {
      readonly specificationVersion = 'v1';
      readonly provider = 'planner';
      readonly modelId = 'exact';
      readonly maxDocumentsPerCall = undefined;
      readonly scoreKind = 'probability';
      readonly #cut = longDocument.length - passage.length;
      async planLongDocumentWindows(options: LongDocumentWindowsV1Options) {
        planned.push(options);
        return {
          windows: options.texts.map((text) =>
            text === longDocument
              ? [
                  { start: 0, end: this.#cut - 1 },
                  { start: this.#cut, end: text.length },
                ]
              : [{ start: 0, end: text.length }],
          ),
          warnings: [{ type: 'other' as const, message: 'planned' }],
        };
      }
      doRerank = inner.doRerank.bind(inner);
    }
    const model = wrapRerankStage(new PlanningStage(), {
      transformOptions: ({ options }) => options,
    });
    const result = await rerank({
      model,
      query,
      documents,
      longDocuments: { strategy: 'chunk-max', overlap: 3, maxWindowTokens: 50 },
    });
    expect(planned).toEqual([
      expect.objectContaining({ query, texts: documents, overlap: 3, maxWindowTokens: 50 }),
    ]);
    expect(result.ranking[0]).toEqual({
      index: 1,
      score: 1,
      document: longDocument,
      chunk: { start: longDocument.length - passage.length, end: longDocument.length },
    });
    expect(result.warnings).toEqual([{ type: 'other', message: 'planned' }]);
  });

  test('a planner that breaks its contract is an InvalidResponseError; a retryable failure is retried', async () => {
    const stage = (plan: (options: LongDocumentWindowsV1Options) => unknown): RerankStageV1 => {
      const inner = mock();
      return {
        specificationVersion: 'v1',
        provider: 'planner',
        modelId: 'broken',
        maxDocumentsPerCall: undefined,
        scoreKind: 'probability',
        planLongDocumentWindows: async (options) => plan(options) as never,
        doRerank: (options) => inner.doRerank(options),
      };
    };
    const broken = [
      () => ({ windows: [] }),
      (options: LongDocumentWindowsV1Options) => ({ windows: options.texts.map(() => []) }),
      (options: LongDocumentWindowsV1Options) => ({
        windows: options.texts.map((text) => [{ start: 0, end: text.length + 1 }]),
      }),
      (options: LongDocumentWindowsV1Options) => ({
        windows: options.texts.map((text) => [
          { start: 0, end: text.length },
          { start: 0, end: text.length },
        ]),
      }),
    ];
    for (const plan of broken) {
      const error = await rerank({
        model: stage(plan),
        query,
        documents,
        longDocuments: { strategy: 'chunk-max' },
      }).catch((caught: unknown) => caught);
      expect(InvalidResponseError.isInstance(error), String(error)).toBe(true);
    }

    let attempts = 0;
    const flaky = stage((options) => {
      attempts += 1;
      if (attempts === 1) {
        throw new ApiCallError({
          message: 'busy',
          url: 'http://planner',
          isRetryable: true,
          retryAfterMs: 1,
        });
      }
      return { windows: options.texts.map((text) => [{ start: 0, end: text.length }]) };
    });
    const result = await rerank({
      model: flaky,
      query,
      documents,
      longDocuments: { strategy: 'chunk-max' },
    });
    expect(attempts).toBe(2);
    expect(result.ranking).toHaveLength(3);
  });

  test('abort and deadline reach the planning and the windows', async () => {
    const slowPlanner: RerankStageV1 = {
      specificationVersion: 'v1',
      provider: 'planner',
      modelId: 'slow',
      maxDocumentsPerCall: undefined,
      scoreKind: 'probability',
      planLongDocumentWindows: () => new Promise(() => {}),
      doRerank: () => Promise.reject(new Error('never called')),
    };
    const timedOut = await rerank({
      model: slowPlanner,
      query,
      documents,
      timeoutMs: 20,
      longDocuments: { strategy: 'chunk-max' },
    }).catch((caught: unknown) => caught);
    expect(TimeoutError.isInstance(timedOut)).toBe(true);

    const controller = new AbortController();
    const model = new MockRerankStage({
      score: truncatedOverlap,
      latencyMs: 10_000,
      maxDocumentsPerCall: 2,
    });
    const pending = rerank({
      model,
      query,
      documents,
      abortSignal: controller.signal,
      longDocuments: { strategy: 'chunk-max', maxWindowTokens: 100 },
    }).catch((caught: unknown) => caught);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(AbortedError.isInstance(await pending)).toBe(true);
    expect(model.calls.every((call) => call.abortSignal?.aborted)).toBe(true);
  });

  test('offsets are into the caller’s text even when lone surrogates were replaced', async () => {
    const text = `${filler} \ud800 ${passage}`;
    const result = await rerank({
      model: mock(),
      query,
      documents: [text],
      longDocuments: { strategy: 'chunk-max', maxWindowTokens: 100, overlap: 0 },
    });
    const chunk = result.ranking[0]?.chunk;
    expect(text.slice(chunk?.start, chunk?.end).endsWith(passage)).toBe(true);
    expect(JSON.stringify(result.warnings)).toContain('documents[0]');
  });
});

describe('bad longDocuments options are typed errors naming the option', () => {
  const base = { model: mock(), query, documents };
  test.each([
    ['not an object', 'chunk-max', 'longDocuments'],
    ['unknown strategy', { strategy: 'sliding' }, 'longDocuments.strategy'],
    ['missing strategy', { overlap: 4 }, 'longDocuments.strategy'],
    ['negative overlap', { strategy: 'chunk-max', overlap: -1 }, 'longDocuments.overlap'],
    ['fractional overlap', { strategy: 'chunk-max', overlap: 1.5 }, 'longDocuments.overlap'],
    [
      'overlap not below the window',
      { strategy: 'chunk-max', overlap: 10, maxWindowTokens: 10 },
      'longDocuments.overlap',
    ],
    ['zero window', { strategy: 'chunk-max', maxWindowTokens: 0 }, 'longDocuments.maxWindowTokens'],
    ['unknown name', { strategy: 'chunk-max', overlapTokens: 4 }, 'longDocuments.overlapTokens'],
  ])('%s', async (_name, longDocuments, argument) => {
    const error = await refusal({ ...base, longDocuments });
    expect(error.argument).toBe(argument);
  });

  test('a misspelt name suggests the right one', async () => {
    const error = await refusal({ ...base, longDocuments: { strategy: 'chunk-max', overlapp: 4 } });
    expect(error.message).toContain("did you mean 'overlap'");
  });

  test('object documents cannot be windowed', async () => {
    const error = await refusal({
      ...base,
      documentFormat: 'object',
      longDocuments: { strategy: 'chunk-max' },
    });
    expect(error.argument).toBe('longDocuments.strategy');
    expect(error.message).toContain("documentFormat: 'text'");
  });

  test('an overlap that does not fit the window the stage leaves beside the query', async () => {
    const inner = mock();
    const model: RerankStageV1 = {
      specificationVersion: 'v1',
      provider: 'mock',
      modelId: 'small',
      maxDocumentsPerCall: undefined,
      scoreKind: 'probability',
      maxInputTokens: 40,
      doRerank: (options) => inner.doRerank(options),
    };
    const error = await refusal({
      model,
      query,
      documents,
      longDocuments: { strategy: 'chunk-max', overlap: 60 },
    });
    expect(error.argument).toBe('longDocuments.overlap');
    expect(inner.calls).toEqual([]);
  });
});

describe('twoStage and createPipeline pass longDocuments through', () => {
  const retriever = new MockRetrieveStage({
    documents: documents.map((text, index) => ({ id: `d${index}`, text })),
  });

  test('the result names the window that gave the score', async () => {
    const result = await twoStage({
      retriever,
      reranker: mock(),
      query,
      rerankTopN: 2,
      longDocuments: { strategy: 'chunk-max', maxWindowTokens: 100, overlap: 0 },
    });
    expect(result.results.map(({ id }) => id)).toEqual(['d1', 'd0']);
    const chunk = result.results[0]?.chunk;
    expect(longDocument.slice(chunk?.start, chunk?.end).endsWith(passage)).toBe(true);
    expect(result.results[1]?.chunk).toBeUndefined();
  });

  test('a pipeline checks longDocuments when it is created', () => {
    let caught: unknown;
    try {
      createPipeline({ retriever, reranker: mock(), longDocuments: { strategy: 'max' as never } });
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).argument).toBe('longDocuments.strategy');
  });
});
