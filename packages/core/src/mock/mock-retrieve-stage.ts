import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { compileFilter } from '../filter/matches-filter.js';
import type {
  MetadataFilter,
  RetrievedCandidateV1,
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result,
} from '../spec/v1/index.js';
import { describe } from '../util/validate-arguments.js';
import { validateMetadata } from '../util/validate-metadata.js';
import { CallActivity } from './call-activity.js';
import { mockDelay } from './mock-delay.js';
import type { MockDocument } from './mock-document.js';
import { findFault, type MockFault } from './mock-fault.js';
import type { MockIntercept } from './mock-intercept.js';
import {
  checkFaults,
  checkFunction,
  checkLatencyMs,
  checkLimit,
  checkModelId,
  checkSettingNames,
} from './mock-setting-checks.js';
import { termOverlapScore } from './term-overlap.js';
import { termTokens } from './term-tokens.js';

/** Settings of a {@link MockRetrieveStage}; each is checked when the stage is built. */
export type MockRetrieveStageSettings = {
  /**
   * The corpus; copied, so later changes to these objects do not reach the stage. Ids must be
   * unique within a namespace; metadata takes Pinecone's value types.
   */
  documents: readonly MockDocument[];
  /** @default 'mock-index' */
  modelId?: string;
  /**
   * The largest `topK` accepted (an integer ≥ 1); larger ones are clamped. Unlimited when
   * undefined.
   * @default undefined
   */
  maxTopK?: number | undefined;
  /** How long each call takes, in milliseconds; an abort cuts the wait short. @default 0 */
  latencyMs?: number;
  /** Calls that throw instead of answering. @default [] */
  faults?: readonly MockFault[];
  /**
   * Scores one document's text against the query, instead of term overlap. As with the default
   * scoring, a document scoring 0 or less does not match, and equal scores keep corpus order.
   * @default the share of the query's distinct words the text contains, in [0, 1]
   */
  score?: (text: string, query: string) => number;
  /**
   * Called for every call after the latency and the faults; may throw, or return a result that
   * replaces the computed one. See {@link MockIntercept}.
   */
  intercept?: MockIntercept<RetrieveStageV1CallOptions, RetrieveStageV1Result>;
  /**
   * The fields of the `call`-th result besides the candidates (`warnings`, `response`). When set,
   * they replace the mock's own (`warnings: []`).
   */
  extra?: (call: number) => Omit<RetrieveStageV1Result, 'candidates'>;
};

const settingNames = [
  'documents',
  'modelId',
  'maxTopK',
  'latencyMs',
  'faults',
  'score',
  'intercept',
  'extra',
] as const satisfies readonly (keyof MockRetrieveStageSettings)[];

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
  /** A copy of the call's headers. */
  headers: RetrieveStageV1CallOptions['headers'];
  /** A deep copy of the call's provider options. */
  providerOptions: RetrieveStageV1CallOptions['providerOptions'];
  /** Whether the call got an abort signal. */
  hadAbortSignal: boolean;
  /** The call's abort signal itself (not a copy), so a test can see whether it fired later. */
  abortSignal: AbortSignal | undefined;
};

/**
 * An in-memory retrieve stage for tests: it holds its documents (with metadata and namespaces)
 * and returns those sharing words with the query, scored by term overlap (the share of the
 * query's distinct words the document contains), best first, ties in corpus order.
 * Documents sharing no word with the query are not returned, as with a lexical index.
 *
 * Supports `filter` (Pinecone's filter language) and `namespace`; records every call in
 * {@link MockRetrieveStage.calls} and how many ran at once; `latencyMs`, `faults`, `score`,
 * `intercept` and `extra` as for the other mocks.
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
  private readonly score: ((text: string, query: string) => number) | undefined;
  private readonly intercept: MockRetrieveStageSettings['intercept'];
  private readonly extra: MockRetrieveStageSettings['extra'];
  private readonly activity = new CallActivity();

  /** @throws InvalidArgumentError naming a setting with a bad value, or an unknown setting */
  constructor(settings: MockRetrieveStageSettings) {
    const checked = checkSettingNames(settings, 'MockRetrieveStage', settingNames);
    this.documents = structuredClone(checkDocuments(checked.documents));
    this.modelId = checkModelId(checked.modelId, 'mock-index');
    this.maxTopK = checkLimit(checked.maxTopK, 'maxTopK');
    this.latencyMs = checkLatencyMs(checked.latencyMs);
    this.faults = checkFaults(checked.faults);
    this.score = checkFunction(checked.score, 'score');
    this.intercept = checkFunction(checked.intercept, 'intercept');
    this.extra = checkFunction(checked.extra, 'extra');
  }

  /** Calls running now. */
  get activeCalls(): number {
    return this.activity.active;
  }

  /** The most calls that ran at once so far. */
  get maxActiveCalls(): number {
    return this.activity.maxActive;
  }

  /** Finds the documents of the namespace that match the filter and share words with the query. */
  async doRetrieve(options: RetrieveStageV1CallOptions): Promise<RetrieveStageV1Result> {
    this.calls.push({
      query: options.query,
      topK: options.topK,
      filter: options.filter === undefined ? undefined : structuredClone(options.filter),
      namespace: options.namespace,
      headers: options.headers === undefined ? undefined : { ...options.headers },
      providerOptions:
        options.providerOptions === undefined
          ? undefined
          : structuredClone(options.providerOptions),
      hadAbortSignal: options.abortSignal !== undefined,
      abortSignal: options.abortSignal,
    });
    // Taken now: with calls in parallel, the length grows while this one waits.
    const call = this.calls.length;
    return this.activity.track(() => this.answer(call, options));
  }

  private async answer(
    call: number,
    options: RetrieveStageV1CallOptions,
  ): Promise<RetrieveStageV1Result> {
    await mockDelay(this.latencyMs, options.abortSignal);
    const fault = findFault(this.faults, call);
    if (fault !== undefined) throw fault.error;
    const intercepted = await this.intercept?.(call, options);
    if (intercepted !== undefined) return intercepted;

    const namespace = options.namespace ?? '';
    // Compiling validates the filter even when the namespace is empty.
    const matches = compileFilter(options.filter);
    const queryTokens = new Set(termTokens(options.query));
    const score = this.score ?? ((text: string) => termOverlapScore(queryTokens, text));
    const topK = Math.min(options.topK, this.maxTopK ?? Number.POSITIVE_INFINITY);
    const candidates: RetrievedCandidateV1[] = [];
    for (const document of this.documents) {
      if ((document.namespace ?? '') !== namespace) continue;
      if (!matches(document.metadata)) continue;
      const documentScore = score(document.text, options.query);
      if (!(documentScore > 0)) continue;
      candidates.push({
        id: document.id,
        text: document.text,
        score: documentScore,
        ...(document.metadata === undefined
          ? {}
          : { metadata: structuredClone(document.metadata) }),
      });
    }
    // Array.prototype.sort is stable, so equal scores keep corpus order.
    candidates.sort((left, right) => right.score - left.score);
    return {
      candidates: candidates.slice(0, topK),
      ...(this.extra === undefined ? { warnings: [] } : this.extra(call)),
    };
  }
}

/** Checks the corpus: an array of `{ id, text, metadata?, namespace? }`, ids unique per namespace. */
function checkDocuments(value: unknown): readonly MockDocument[] {
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument: 'documents',
      message: `must be an array of { id, text, metadata?, namespace? }, got ${describe(value)}.`,
    });
  }
  const idsByNamespace = new Map<string, Set<string>>();
  value.forEach((document: unknown, index) => {
    const path = `documents[${index}]`;
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw new InvalidArgumentError({
        argument: path,
        message: `must be an object { id, text, metadata?, namespace? }, got ${describe(document)}.`,
      });
    }
    const { id, text, metadata, namespace } = document as Record<string, unknown>;
    for (const [field, fieldValue] of [
      ['id', id],
      ['text', text],
    ] as const) {
      if (typeof fieldValue !== 'string') {
        throw new InvalidArgumentError({
          argument: `${path}.${field}`,
          message: `must be a string, got ${describe(fieldValue)}.`,
        });
      }
    }
    if (metadata !== undefined) validateMetadata(metadata, `${path}.metadata`);
    if (namespace !== undefined && typeof namespace !== 'string') {
      throw new InvalidArgumentError({
        argument: `${path}.namespace`,
        message: `must be a string, got ${describe(namespace)}.`,
      });
    }
    const ids = idsByNamespace.get(namespace ?? '') ?? new Set<string>();
    if (ids.has(id as string)) {
      throw new InvalidArgumentError({
        argument: `${path}.id`,
        message: `'${id}' appears more than once in ${namespace === undefined ? 'the default namespace' : `namespace '${namespace}'`}; ids are unique within a namespace.`,
      });
    }
    ids.add(id as string);
    idsByNamespace.set(namespace ?? '', ids);
  });
  return value as readonly MockDocument[];
}
