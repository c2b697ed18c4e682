import type {
  RetrievedCandidateV1,
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result,
} from '../../src/spec/v1/retrieve-stage-v1.js';
import { wait } from './wait.js';

/**
 * A fake retriever for core's own tests: returns the first `topK` of a fixed candidate list (which
 * the test gives sorted), or what `intercept` returns; records every call.
 */
export class FakeRetrieveStage implements RetrieveStageV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'fake';
  readonly modelId = 'fake-index';
  readonly maxTopK: number | undefined;
  readonly calls: RetrieveStageV1CallOptions[] = [];

  constructor(
    private readonly candidates: readonly RetrievedCandidateV1[],
    private readonly options: {
      maxTopK?: number;
      delayMs?: number;
      intercept?: (
        call: number,
        options: RetrieveStageV1CallOptions,
      ) => RetrieveStageV1Result | PromiseLike<RetrieveStageV1Result> | undefined;
    } = {},
  ) {
    this.maxTopK = options.maxTopK;
  }

  async doRetrieve(callOptions: RetrieveStageV1CallOptions): Promise<RetrieveStageV1Result> {
    this.calls.push(callOptions);
    if (this.options.delayMs !== undefined)
      await wait(this.options.delayMs, callOptions.abortSignal);
    const intercepted = await this.options.intercept?.(this.calls.length, callOptions);
    if (intercepted !== undefined) return intercepted;
    return { candidates: this.candidates.slice(0, callOptions.topK) };
  }
}
