import { compileFilter } from '../filter/matches-filter.js';
import type {
  MetadataFilter,
  RetrievedCandidateV1,
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result,
} from '../spec/v1/index.js';
import { mockDelay } from './mock-delay.js';
import type { MockDocument } from './mock-document.js';
import { findFault, type MockFault } from './mock-fault.js';
import { termOverlapScore } from './term-overlap.js';
import { termTokens } from './term-tokens.js';

/** Settings of a {@link MockRetrieveStage}. */
export type MockRetrieveStageSettings = {
  /** The corpus; copied, so later changes to these objects do not reach the stage. */
  documents: readonly MockDocument[];
  /** @default 'mock-index' */
  modelId?: string;
  /** The largest `topK` accepted; larger ones are clamped. Unlimited when undefined. @default undefined */
  maxTopK?: number | undefined;
  /** How long each call takes, in milliseconds; an abort cuts the wait short. @default 0 */
  latencyMs?: number;
  /** Calls that throw instead of answering. @default [] */
  faults?: readonly MockFault[];
};

/** One call a {@link MockRetrieveStage} received, copied at call time. */
export type MockRetrieveCall = {
  /** The query of the call. */
  query: string;
  /** The call's `topK`, before the mock's own `maxTopK` clamps it. */
  topK: number;
  /** A deep copy of the call's filter. */
  filter: MetadataFilter | undefined;
  /** The call's namespace; `undefined` for the default partition. */
  namespace: string | undefined;
  /** Whether the call got an abort signal. */
  hadAbortSignal: boolean;
};

/**
 * An in-memory retrieve stage for tests: it holds its documents (with metadata and namespaces)
 * and returns those sharing words with the query, scored by term overlap (the share of the
 * query's distinct words a document contains, Unicode-aware), best first, ties in corpus order.
 * Documents sharing no word with the query are not returned, as with a lexical index.
 *
 * Supports `filter` (Pinecone's filter language) and `namespace`; records every call in
 * {@link MockRetrieveStage.calls}; `latencyMs` and `faults` as for the other mocks.
 */
export class MockRetrieveStage implements RetrieveStageV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'mock';
  readonly modelId: string;
  readonly maxTopK: number | undefined;
  /** The calls received so far, oldest first. */
  readonly calls: MockRetrieveCall[] = [];
  private readonly documents: readonly MockDocument[];
  private readonly latencyMs: number;
  private readonly faults: readonly MockFault[];

  constructor(settings: MockRetrieveStageSettings) {
    this.documents = structuredClone(settings.documents);
    this.modelId = settings.modelId ?? 'mock-index';
    this.maxTopK = settings.maxTopK;
    this.latencyMs = settings.latencyMs ?? 0;
    this.faults = settings.faults ?? [];
  }

  /** Finds the documents of the namespace that match the filter and share words with the query. */
  async doRetrieve(options: RetrieveStageV1CallOptions): Promise<RetrieveStageV1Result> {
    this.calls.push({
      query: options.query,
      topK: options.topK,
      filter: options.filter === undefined ? undefined : structuredClone(options.filter),
      namespace: options.namespace,
      hadAbortSignal: options.abortSignal !== undefined,
    });
    await mockDelay(this.latencyMs, options.abortSignal);
    const fault = findFault(this.faults, this.calls.length);
    if (fault !== undefined) throw fault.error;

    const namespace = options.namespace ?? '';
    // Compiling validates the filter even when the namespace is empty.
    const matches = compileFilter(options.filter);
    const queryTokens = new Set(termTokens(options.query));
    const topK = Math.min(options.topK, this.maxTopK ?? Number.POSITIVE_INFINITY);
    const candidates: RetrievedCandidateV1[] = [];
    for (const document of this.documents) {
      if ((document.namespace ?? '') !== namespace) continue;
      if (!matches(document.metadata)) continue;
      const score = termOverlapScore(queryTokens, document.text);
      if (score <= 0) continue;
      candidates.push({
        id: document.id,
        text: document.text,
        score,
        ...(document.metadata === undefined
          ? {}
          : { metadata: structuredClone(document.metadata) }),
      });
    }
    // Array.prototype.sort is stable, so equal scores keep corpus order.
    candidates.sort((left, right) => right.score - left.score);
    return { candidates: candidates.slice(0, topK), warnings: [] };
  }
}
