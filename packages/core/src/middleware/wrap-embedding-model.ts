import type {
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
  EmbeddingModelV1Result,
} from '../spec/v1/embedding-model-v1.js';
import type { StageMiddleware } from './stage-middleware.js';
import { wrapStage } from './wrap-stage.js';

/** Middleware for an embedding model (see {@link StageMiddleware}). */
export type EmbeddingModelMiddleware = StageMiddleware<
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
  EmbeddingModelV1Result
>;

/**
 * An embedding model whose `doEmbed` runs through `middleware` (the first of a list is the
 * outermost); every property of the contract (`dimensions`, limits) is the model's.
 *
 * @throws InvalidArgumentError for a model that is not a v1 embedding model, or malformed middleware
 */
export function wrapEmbeddingModel(
  model: EmbeddingModelV1,
  middleware: EmbeddingModelMiddleware | readonly EmbeddingModelMiddleware[],
): EmbeddingModelV1 {
  return wrapStage(
    model,
    middleware,
    'doEmbed',
    [
      'specificationVersion',
      'provider',
      'modelId',
      'dimensions',
      'maxEmbeddingsPerCall',
      'supportsParallelCalls',
    ],
    'wrapEmbeddingModel()',
  );
}
