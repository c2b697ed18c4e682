import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type {
  JsonObject,
  RankedIndexV1,
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
  ScoreKindV1,
} from '../spec/v1/index.js';
import { CallActivity } from './call-activity.js';
import { mockDelay } from './mock-delay.js';
import { findFault, type MockFault } from './mock-fault.js';
import type { MockIntercept } from './mock-intercept.js';
import {
  checkBoolean,
  checkChoice,
  checkFaults,
  checkFunction,
  checkLatencyMs,
  checkLimit,
  checkModelId,
  checkSettingNames,
} from './mock-setting-checks.js';
import { renderJsonObject } from './render-json-object.js';
import { termOverlapScore } from './term-overlap.js';
import { termTokens } from './term-tokens.js';

/** Settings of a {@link MockRerankStage}; each is checked when the stage is built. */
export type MockRerankStageSettings = {
  /** @default 'mock-reranker' */
  modelId?: string;
  /**
   * The most documents one call accepts (an integer ≥ 1); a larger call throws an
   * `InvalidArgumentError` (core must window). Unlimited when undefined.
   * @default undefined
   */
  maxDocumentsPerCall?: number | undefined;
  /** How long each call takes, in milliseconds; an abort cuts the wait short. @default 0 */
  latencyMs?: number;
  /** Calls that throw instead of answering. @default [] */
  faults?: readonly MockFault[];
  /**
   * What kind of scores the stage declares. The scores themselves are whatever `score` returns;
   * this only changes what core assumes about them (e.g. `minScore` warnings).
   * @default 'probability'
   */
  scoreKind?: ScoreKindV1;
  /**
   * Scores one document against the query, instead of term overlap. Gets the document's text
   * (an object document rendered as `key: value` lines, as the default scoring sees it) and the
   * query; what it returns is the score, unchecked.
   * @default the share of the query's distinct words the text contains, in [0, 1]
   */
  score?: (text: string, query: string) => number;
  /**
   * Called for every call within `maxDocumentsPerCall`, after the latency and the faults; may
   * throw, or return a result that replaces the computed one. See {@link MockIntercept}.
   */
  intercept?: MockIntercept<RerankStageV1CallOptions, RerankStageV1Result>;
  /**
   * The fields of the `call`-th result besides the ranking (`usage`, `warnings`, `response`).
   * When set, they replace the mock's own (`usage: { searchUnits: 1 }, warnings: []`), so
   * returning `{}` gives a bare ranking.
   */
  extra?: (call: number) => Omit<RerankStageV1Result, 'ranking'>;
  /**
   * Orders equal scores by descending input index instead of ascending, so a test can check that
   * core breaks ties by the original order itself.
   * @default false
   */
  reverseTies?: boolean;
};

const settingNames = [
  'modelId',
  'maxDocumentsPerCall',
  'latencyMs',
  'faults',
  'scoreKind',
  'score',
  'intercept',
  'extra',
  'reverseTies',
] as const satisfies readonly (keyof MockRerankStageSettings)[];

const scoreKinds: readonly ScoreKindV1[] = ['probability', 'logit', 'similarity'];

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
  /** The call's abort signal itself (not a copy), so a test can see whether it fired later. */
  abortSignal: AbortSignal | undefined;
};

/**
 * A deterministic rerank stage for tests: it scores each document by term overlap with the query
 * (the share of the query's distinct words the document contains, Unicode-aware), so documents
 * that share the query's words rank first. Scores are in [0, 1] (`scoreKind: 'probability'`),
 * ties keep input order. `score`, `scoreKind` and `reverseTies` change that.
 *
 * It records every call in {@link MockRerankStage.calls} and how many ran at once
 * ({@link MockRerankStage.maxActiveCalls}), can be slowed down (`latencyMs`, honouring aborts),
 * scripted to fail (`faults`) and made to answer anything (`intercept`, `extra`).
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
  readonly scoreKind: ScoreKindV1;
  /** The calls received so far, oldest first. */
  readonly calls: MockRerankCall[] = [];
  private readonly latencyMs: number;
  private readonly faults: readonly MockFault[];
  private readonly score: ((text: string, query: string) => number) | undefined;
  private readonly intercept: MockRerankStageSettings['intercept'];
  private readonly extra: MockRerankStageSettings['extra'];
  private readonly reverseTies: boolean;
  private readonly activity = new CallActivity();

  /** @throws InvalidArgumentError naming a setting with a bad value, or an unknown setting */
  constructor(settings: MockRerankStageSettings = {}) {
    const checked = checkSettingNames(settings, 'MockRerankStage', settingNames);
    this.modelId = checkModelId(checked.modelId, 'mock-reranker');
    this.maxDocumentsPerCall = checkLimit(checked.maxDocumentsPerCall, 'maxDocumentsPerCall');
    this.latencyMs = checkLatencyMs(checked.latencyMs);
    this.faults = checkFaults(checked.faults);
    this.scoreKind = checkChoice(checked.scoreKind, 'scoreKind', scoreKinds, 'probability');
    this.score = checkFunction(checked.score, 'score');
    this.intercept = checkFunction(checked.intercept, 'intercept');
    this.extra = checkFunction(checked.extra, 'extra');
    this.reverseTies = checkBoolean(checked.reverseTies, 'reverseTies', false);
  }

  /** Calls running now. */
  get activeCalls(): number {
    return this.activity.active;
  }

  /** The most calls that ran at once so far. */
  get maxActiveCalls(): number {
    return this.activity.maxActive;
  }

  /** Scores the documents by term overlap with the query (or by `score`). */
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
      abortSignal: options.abortSignal,
    });
    // Taken now: with calls in parallel, the length grows while this one waits.
    const call = this.calls.length;
    return this.activity.track(() => this.answer(call, options));
  }

  private async answer(
    call: number,
    options: RerankStageV1CallOptions,
  ): Promise<RerankStageV1Result> {
    await mockDelay(this.latencyMs, options.abortSignal);
    const fault = findFault(this.faults, call);
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
    const intercepted = await this.intercept?.(call, options);
    if (intercepted !== undefined) return intercepted;

    const queryTokens = new Set(termTokens(options.query));
    const score = this.score ?? ((text: string) => termOverlapScore(queryTokens, text));
    const tieOrder = this.reverseTies ? -1 : 1;
    const ranking: RankedIndexV1[] = texts
      .map((text, index) => ({ index, score: score(text, options.query) }))
      .sort((left, right) => right.score - left.score || tieOrder * (left.index - right.index));
    return {
      ranking: options.topN === undefined ? ranking : ranking.slice(0, options.topN),
      ...(this.extra === undefined
        ? { usage: { searchUnits: 1 }, warnings: [] }
        : this.extra(call)),
    };
  }
}
