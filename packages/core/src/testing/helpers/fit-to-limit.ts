import type { EmbeddingInputTypeV1, EmbeddingModelV1, RerankStageV1 } from '../../spec/v1/index.js';

/**
 * The first `maxDocumentsPerCall` of `values`: direct `doRerank` calls must respect the stage's
 * limit (core guarantees it to stages), so checks put the documents that matter first.
 */
export function fitDocuments<T>(stage: RerankStageV1, values: readonly T[]): T[] {
  return values.slice(0, stage.maxDocumentsPerCall ?? values.length);
}

/**
 * Embeds `values` with direct `doEmbed` calls of at most `maxEmbeddingsPerCall` values each (core
 * guarantees the limit to models), one after another, and returns the vectors in order.
 */
export async function embedInBatches(
  model: EmbeddingModelV1,
  values: readonly string[],
  inputType: EmbeddingInputTypeV1,
): Promise<Float32Array[]> {
  const size = model.maxEmbeddingsPerCall ?? values.length;
  const embeddings: Float32Array[] = [];
  for (let offset = 0; offset < values.length; offset += size) {
    const result = await model.doEmbed({ values: values.slice(offset, offset + size), inputType });
    embeddings.push(...result.embeddings);
  }
  return embeddings;
}

/** The first `maxEmbeddingsPerCall` of `values`, for one direct `doEmbed` call. */
export function fitValues(model: EmbeddingModelV1, values: readonly string[]): string[] {
  return values.slice(0, model.maxEmbeddingsPerCall ?? values.length);
}
