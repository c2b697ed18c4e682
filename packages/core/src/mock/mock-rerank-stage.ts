import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type {
  JsonObject,
  RankedIndexV1,
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
} from '../spec/v1/index.js';
import { mockDelay } from './mock-delay.js';
import { findFault, type MockFault } from './mock-fault.js';
import { renderJsonObject } from './render-json-object.js';
import { termOverlapScore } from './term-overlap.js';
import { termTokens } from './term-tokens.js';

/** Settings of a {@link MockRerankStage}. */
export type MockRerankStageSettings = {
  /** @default 'mock-reranker' */
  modelId?: string;
  /**
   * The most documents one call accepts; a larger call throws an `InvalidArgumentError` (core
   * must window). Unlimited when undefined.
   * @default undefined
   */
  maxDocumentsPerCall?: number | undefined;
  /** How long each call takes, in milliseconds; an abort cuts the wait short. @default 0 */
  latencyMs?: number;
  /** Calls that throw instead of answering. @default [] */
  faults?: readonly MockFault[];
};

/** One call a {@link MockRerankStage} received, copied at call time. */
export type MockRerankCall = {
  /** The query of the call. */
  query: string;
  /** A deep copy of the documents the call received. */
  documents: RerankStageV1CallOptions['documents'];
  /** The call's `topN`; `undefined` when every document was asked for. */
  topN: number | undefined;
  /** A copy of the call's headers. */
  headers: RerankStageV1CallOptions['headers'];
  /** A deep copy of the call's provider options. */
  providerOptions: RerankStageV1CallOptions['providerOptions'];
  /** Whether the call got an abort signal. */
  hadAbortSignal: boolean;
};

/**
 * A deterministic rerank stage for tests: it scores each document by term overlap with the query
 * (the share of the query's distinct words the document contains, Unicode-aware), so documents
 * that share the query's words rank first. Scores are in [0, 1] (`scoreKind: 'probability'`),
 * ties keep input order.
 *
 * It records every call in {@link MockRerankStage.calls}, can be slowed down (`latencyMs`,
 * honouring aborts) and scripted to fail (`faults`).
 *
 * @example
 * const model = new MockRerankStage({ maxDocumentsPerCall: 2, faults: [{ call: 1, error }] });
 * await rerank({ model, query: 'fees', documents });
 * model.calls.length; // 1 failed call + the retried ones
 */
export class MockRerankStage implements RerankStageV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'mock';
  readonly modelId: string;
  readonly maxDocumentsPerCall: number | undefined;
  readonly scoreKind = 'probability';
  /** The calls received so far, oldest first. */
  readonly calls: MockRerankCall[] = [];
  private readonly latencyMs: number;
  private readonly faults: readonly MockFault[];

  constructor(settings: MockRerankStageSettings = {}) {
    this.modelId = settings.modelId ?? 'mock-reranker';
    this.maxDocumentsPerCall = settings.maxDocumentsPerCall;
    this.latencyMs = settings.latencyMs ?? 0;
    this.faults = settings.faults ?? [];
  }

  /** Scores the documents by term overlap with the query. */
  async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
    this.calls.push({
      query: options.query,
      documents: structuredClone(options.documents),
      topN: options.topN,
      headers: options.headers === undefined ? undefined : { ...options.headers },
      providerOptions:
        options.providerOptions === undefined
          ? undefined
          : structuredClone(options.providerOptions),
      hadAbortSignal: options.abortSignal !== undefined,
    });
    await mockDelay(this.latencyMs, options.abortSignal);
    const fault = findFault(this.faults, this.calls.length);
    if (fault !== undefined) throw fault.error;

    const texts: readonly string[] =
      options.documents.type === 'text'
        ? options.documents.values
        : options.documents.values.map((value: JsonObject) => renderJsonObject(value));
    if (this.maxDocumentsPerCall !== undefined && texts.length > this.maxDocumentsPerCall) {
      throw new InvalidArgumentError({
        argument: 'documents',
        message: `${texts.length} documents exceed maxDocumentsPerCall (${this.maxDocumentsPerCall}).`,
      });
    }

    const queryTokens = new Set(termTokens(options.query));
    const ranking: RankedIndexV1[] = texts
      .map((text, index) => ({ index, score: termOverlapScore(queryTokens, text) }))
      .sort((left, right) => right.score - left.score || left.index - right.index);
    return {
      ranking: options.topN === undefined ? ranking : ranking.slice(0, options.topN),
      usage: { searchUnits: 1 },
      warnings: [],
    };
  }
}
