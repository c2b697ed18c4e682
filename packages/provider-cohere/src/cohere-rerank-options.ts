import { InvalidArgumentError } from '@twostage/core';
import { checkOptionNames, validateInteger } from '@twostage/core/provider-utils';

/**
 * Options of a Cohere rerank stage: given to `cohere.reranker(modelId, options)` as defaults, or
 * per call as `providerOptions: { cohere: { ... } }` (which win).
 */
export type CohereRerankOptions = {
  /**
   * Longer documents are truncated to this many tokens by Cohere (`max_tokens_per_doc`).
   * @default 4096 (Cohere's default)
   */
  maxTokensPerDoc?: number;
  /**
   * How early Cohere handles the request under load: 0 (first) to 999.
   * @default 0 (Cohere's default)
   */
  priority?: number;
  /**
   * For object documents: the fields sent to the model, in this order (the v1 API's
   * `rank_fields`). The others are left out, and the warning says so.
   * @default every field
   */
  rankFields?: string[];
};

/** Reads and checks the rerank options; `source` names where they came from in errors. */
export function parseCohereRerankOptions(value: unknown, source: string): CohereRerankOptions {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: source, message: 'must be an object.' });
  }
  checkOptionNames(
    value,
    ['maxTokensPerDoc', 'priority', 'rankFields'],
    'the Cohere reranker',
    source,
  );
  const record = value as Record<string, unknown>;
  const options: CohereRerankOptions = {};
  if (record.maxTokensPerDoc !== undefined) {
    options.maxTokensPerDoc = validateInteger(record.maxTokensPerDoc, `${source}.maxTokensPerDoc`, {
      min: 1,
    });
  }
  if (record.priority !== undefined) {
    options.priority = validateInteger(record.priority, `${source}.priority`, { min: 0, max: 999 });
  }
  if (record.rankFields !== undefined) {
    const fields = record.rankFields;
    if (
      !Array.isArray(fields) ||
      fields.length === 0 ||
      !fields.every((field) => typeof field === 'string' && field !== '')
    ) {
      throw new InvalidArgumentError({
        argument: `${source}.rankFields`,
        message: 'must be a non-empty array of field names (omit it to send every field).',
      });
    }
    options.rankFields = [...fields];
  }
  return options;
}
