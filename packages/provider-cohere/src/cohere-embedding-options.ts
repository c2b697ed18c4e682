import { InvalidArgumentError } from '@twostage/core';
import { checkOptionNames, validateInteger } from '@twostage/core/provider-utils';

/** Options of `cohere.embeddingModel(modelId, options)`. */
export type CohereEmbeddingModelOptions = {
  /**
   * The length of the vectors. For a model that lets you choose (embed-v4.0: 256, 512, 1024 or
   * 1536) it is sent as `output_dimension`; for a fixed-length model it must match; for a model
   * this package does not know it is required and declares the length the model returns.
   * @default the model's native length
   */
  dimensions?: number;
};

/** Per-call options, given as `providerOptions: { cohere: { ... } }`. */
export type CohereEmbeddingCallOptions = {
  /**
   * What Cohere does with a text longer than the model's context: cut its `END` or `START`, or
   * fail (`NONE`).
   * @default 'END' (Cohere's default)
   */
  truncate?: 'NONE' | 'START' | 'END';
  /** 0 (handled first under load) to 999. @default 0 (Cohere's default) */
  priority?: number;
  /** Tokens embedded per text at most (`max_tokens`). @default the model's context */
  maxTokens?: number;
};

/** Reads and checks the per-call embedding options. */
export function parseCohereEmbeddingCallOptions(value: unknown): CohereEmbeddingCallOptions {
  const source = 'providerOptions.cohere';
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: source, message: 'must be an object.' });
  }
  checkOptionNames(
    value,
    ['truncate', 'priority', 'maxTokens'],
    'the Cohere embedding model',
    source,
  );
  const record = value as Record<string, unknown>;
  const options: CohereEmbeddingCallOptions = {};
  if (record.truncate !== undefined) {
    if (record.truncate !== 'NONE' && record.truncate !== 'START' && record.truncate !== 'END') {
      throw new InvalidArgumentError({
        argument: `${source}.truncate`,
        message: `must be 'NONE', 'START' or 'END', got ${String(record.truncate)}.`,
      });
    }
    options.truncate = record.truncate;
  }
  if (record.priority !== undefined) {
    options.priority = validateInteger(record.priority, `${source}.priority`, { min: 0, max: 999 });
  }
  if (record.maxTokens !== undefined) {
    options.maxTokens = validateInteger(record.maxTokens, `${source}.maxTokens`, { min: 1 });
  }
  return options;
}
