import { InvalidResponseError } from '../errors/invalid-response-error.js';
import type { EmbeddingModelV1, EmbeddingModelV1Result } from '../spec/v1/embedding-model-v1.js';
import { describe } from '../util/validate-arguments.js';

/**
 * Checks one `doEmbed` result against the contract: exactly `expected` vectors, each a
 * `Float32Array` of the model's `dimensions`. A wrong count would shift every later vector onto
 * the wrong text, so it fails loudly instead.
 */
export function checkEmbeddings(
  model: EmbeddingModelV1,
  result: EmbeddingModelV1Result,
  expected: number,
): Float32Array[] {
  const embeddings = (result as { embeddings?: unknown } | undefined)?.embeddings;
  if (!Array.isArray(embeddings)) {
    throw invalid(model, `'embeddings' must be an array, got ${describe(embeddings)}.`);
  }
  if (embeddings.length !== expected) {
    throw invalid(model, `returned ${embeddings.length} embeddings for ${expected} values.`);
  }
  for (let index = 0; index < expected; index++) {
    const embedding: unknown = embeddings[index];
    if (!(embedding instanceof Float32Array)) {
      throw invalid(model, `embeddings[${index}] must be a Float32Array.`);
    }
    if (embedding.length !== model.dimensions) {
      throw invalid(
        model,
        `embeddings[${index}] has ${embedding.length} dimensions; the model declares ${model.dimensions}.`,
      );
    }
  }
  return embeddings as Float32Array[];
}

function invalid(model: EmbeddingModelV1, message: string): InvalidResponseError {
  return new InvalidResponseError({ provider: model.provider, modelId: model.modelId, message });
}
