import { checkOptionNames } from '../util/check-option-names.js';
import { validateOptionsObject, validateQuery } from '../util/validate-arguments.js';
import {
  type PipelineOptions,
  pipelineOptionNames,
  runTwoStage,
  type TwoStageResult,
  validatePipelineOptions,
} from './two-stage.js';

/** A configured two-stage search, reused across queries. */
export type Pipeline = {
  /** The options the pipeline was created with (a frozen copy). */
  readonly options: Readonly<PipelineOptions>;
  /**
   * Runs a two-stage search for `query`; `overrides` replace the pipeline's options for this
   * call only (e.g. an `abortSignal`, a `filter`, another `rerankTopN`).
   */
  run(query: string, overrides?: Partial<PipelineOptions>): Promise<TwoStageResult>;
};

/**
 * Creates a reusable two-stage pipeline: the same options as {@link twoStage} without the
 * query. The options are checked now, so a misconfiguration fails at start-up rather than at
 * the first query, and copied, so later changes to the caller's object do not leak in.
 *
 * @example
 * const pipeline = createPipeline({ retriever, reranker, retrieveTopK: 50, rerankTopN: 5 });
 * const { results } = await pipeline.run('How do I close my account?');
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  validateOptionsObject(options);
  checkOptionNames(options, pipelineOptionNames, 'createPipeline()');
  const settings = validatePipelineOptions(options);
  const frozen: Readonly<PipelineOptions> = Object.freeze({ ...options });
  return {
    options: frozen,
    async run(query, overrides) {
      const startedAt = performance.now();
      validateQuery(query);
      // Settings checked at creation serve every run; overrides make one more pass, once.
      if (overrides === undefined) return runTwoStage(settings, query, startedAt);
      validateOptionsObject(overrides);
      checkOptionNames(overrides, pipelineOptionNames, 'pipeline.run()', 'overrides');
      return runTwoStage(validatePipelineOptions({ ...frozen, ...overrides }), query, startedAt);
    },
  };
}
