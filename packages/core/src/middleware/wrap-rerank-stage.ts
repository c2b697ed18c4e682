import type {
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
} from '../spec/v1/rerank-stage-v1.js';
import type { StageMiddleware } from './stage-middleware.js';
import { wrapStage } from './wrap-stage.js';

/** Middleware for a rerank stage (see {@link StageMiddleware}). */
export type RerankStageMiddleware = StageMiddleware<
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result
>;

/**
 * A rerank stage whose `doRerank` runs through `middleware` (the first of a list is the
 * outermost); every other property is the stage's. Core's `rerank()` still windows, retries and
 * checks around it, so middleware sees one window per call.
 *
 * @example
 * const timed = wrapRerankStage(reranker, {
 *   async wrapCall({ doCall, options }) {
 *     const startedAt = performance.now();
 *     try { return await doCall(); }
 *     finally { console.log(options.documents.values.length, performance.now() - startedAt); }
 *   },
 * });
 * @throws InvalidArgumentError for a stage that is not a v1 rerank stage, or malformed middleware
 */
export function wrapRerankStage(
  stage: RerankStageV1,
  middleware: RerankStageMiddleware | readonly RerankStageMiddleware[],
): RerankStageV1 {
  const wrapped = wrapStage(
    stage,
    middleware,
    'doRerank',
    ['specificationVersion', 'provider', 'modelId', 'maxDocumentsPerCall', 'scoreKind'],
    'wrapRerankStage()',
  );
  // The optional long-document capabilities are no model call, so middleware does not see
  // them; the planner keeps its own stage as `this` (a class method copied alone would lose it).
  if (stage.maxInputTokens !== undefined) {
    Object.assign(wrapped, { maxInputTokens: stage.maxInputTokens });
  }
  const planner = stage.planLongDocumentWindows;
  if (typeof planner === 'function') {
    wrapped.planLongDocumentWindows = (options) => planner.call(stage, options);
  }
  return wrapped;
}
