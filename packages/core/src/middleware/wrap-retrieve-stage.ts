import type {
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result,
} from '../spec/v1/retrieve-stage-v1.js';
import type { StageMiddleware } from './stage-middleware.js';
import { wrapStage } from './wrap-stage.js';

/** Middleware for a retrieve stage (see {@link StageMiddleware}). */
export type RetrieveStageMiddleware = StageMiddleware<
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result
>;

/**
 * A retrieve stage whose `doRetrieve` runs through `middleware` (the first of a list is the
 * outermost); every property of the contract is the stage's. The wrapper is a stage only: keep
 * the original (an embedded index, say) for writes such as `add` and `save`.
 *
 * @throws InvalidArgumentError for a stage that is not a v1 retrieve stage, or malformed middleware
 */
export function wrapRetrieveStage(
  stage: RetrieveStageV1,
  middleware: RetrieveStageMiddleware | readonly RetrieveStageMiddleware[],
): RetrieveStageV1 {
  return wrapStage(
    stage,
    middleware,
    'doRetrieve',
    ['specificationVersion', 'provider', 'modelId', 'maxTopK'],
    'wrapRetrieveStage()',
  );
}
