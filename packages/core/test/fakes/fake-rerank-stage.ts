import type {
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
  ScoreKindV1,
} from '../../src/spec/v1/rerank-stage-v1.js';
import { wait } from './wait.js';

/** How a fake rerank stage behaves; everything is optional. */
export type FakeRerankStageOptions = {
  maxDocumentsPerCall?: number | undefined;
  scoreKind?: ScoreKindV1;
  /** Scores one document's text against the query. Default: the text's length. */
  score?: (text: string, query: string) => number;
  /** Milliseconds each call takes before answering (honours the abort signal). */
  delayMs?: number;
  /**
   * Called at the start of each call with its 1-based number; may throw (a failure) or return a
   * result (replacing the computed one).
   */
  intercept?: (
    call: number,
    options: RerankStageV1CallOptions,
  ) => RerankStageV1Result | PromiseLike<RerankStageV1Result> | undefined;
  /** Extra fields added to every result (usage, warnings, response). */
  extra?: (call: number) => Omit<RerankStageV1Result, 'ranking'>;
  /** Orders equal scores by descending index, to check that core breaks ties itself. */
  reverseTies?: boolean;
};

/**
 * A small in-process rerank stage for core's own tests. It records every call and how many ran
 * at once, and ranks a window by `score`, honouring `topN`.
 */
export class FakeRerankStage implements RerankStageV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'fake';
  readonly modelId = 'fake-reranker';
  readonly maxDocumentsPerCall: number | undefined;
  readonly scoreKind: ScoreKindV1;
  /** Every call's options, in call order. */
  readonly calls: RerankStageV1CallOptions[] = [];
  /** Calls running now, and the most that ever ran at once. */
  active = 0;
  maxActive = 0;

  constructor(private readonly options: FakeRerankStageOptions = {}) {
    this.maxDocumentsPerCall = options.maxDocumentsPerCall;
    this.scoreKind = options.scoreKind ?? 'probability';
  }

  async doRerank(callOptions: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
    this.calls.push(callOptions);
    const call = this.calls.length;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.options.delayMs !== undefined) {
        await wait(this.options.delayMs, callOptions.abortSignal);
      }
      const intercepted = await this.options.intercept?.(call, callOptions);
      if (intercepted !== undefined) return intercepted;
      const score = this.options.score ?? ((text: string) => text.length);
      const { documents } = callOptions;
      const ranking = documents.values.map((value, index) => ({
        index,
        score: score(typeof value === 'string' ? value : String(value.text), callOptions.query),
      }));
      const tieOrder = this.options.reverseTies ? -1 : 1;
      ranking.sort(
        (left, right) => right.score - left.score || tieOrder * (left.index - right.index),
      );
      return {
        ranking: ranking.slice(0, callOptions.topN ?? ranking.length),
        ...this.options.extra?.(call),
      };
    } finally {
      this.active--;
    }
  }
}
