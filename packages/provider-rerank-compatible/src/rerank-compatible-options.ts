import { InvalidArgumentError, type ScoreKindV1 } from '@twostage/core';
import { checkOptionNames, validateInteger } from '@twostage/core/provider-utils';

/**
 * Options of one reranker: given to `provider.reranker(modelId, options)` as defaults, or per
 * call as `providerOptions: { 'rerank-compatible': { ... } }` (which win; `scoreKind` excepted:
 * it is a property of the stage).
 */
export type RerankCompatibleRerankOptions = {
  /**
   * What the served model's scores are. vLLM's depend on the model (a 1-label cross-encoder gets
   * a sigmoid, unless its config says otherwise; a bi-encoder served for scoring gives cosines).
   * @default 'logit' with `rawScores: true`, else 'probability'
   */
  scoreKind?: ScoreKindV1;
  /**
   * Asks the server for scores before the sigmoid: Infinity's `raw_scores`. With `cohere-v2` and
   * `jina-v1` it is sent as vLLM's `use_activation: false`.
   * @default false
   */
  rawScores?: boolean;
  /** Longer documents are truncated to this many tokens by the server (`max_tokens_per_doc`, vLLM). */
  maxTokensPerDoc?: number;
};

const optionNames = ['scoreKind', 'rawScores', 'maxTokensPerDoc'] as const;
const scoreKinds: readonly ScoreKindV1[] = ['probability', 'logit', 'similarity'];

/** Reads and checks reranker options; `source` names where they came from in errors. */
export function parseRerankCompatibleOptions(
  value: unknown,
  source: string,
): RerankCompatibleRerankOptions {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: source, message: 'must be an object.' });
  }
  checkOptionNames(value, optionNames, 'the rerank-compatible reranker', source);
  const record = value as Record<string, unknown>;
  const options: RerankCompatibleRerankOptions = {};
  if (record.scoreKind !== undefined) {
    if (!scoreKinds.includes(record.scoreKind as ScoreKindV1)) {
      throw new InvalidArgumentError({
        argument: `${source}.scoreKind`,
        message: `must be one of ${scoreKinds.join(', ')}, got ${JSON.stringify(record.scoreKind)}.`,
      });
    }
    options.scoreKind = record.scoreKind as ScoreKindV1;
  }
  if (record.rawScores !== undefined) {
    if (typeof record.rawScores !== 'boolean') {
      throw new InvalidArgumentError({
        argument: `${source}.rawScores`,
        message: 'must be a boolean.',
      });
    }
    options.rawScores = record.rawScores;
  }
  if (record.maxTokensPerDoc !== undefined) {
    options.maxTokensPerDoc = validateInteger(record.maxTokensPerDoc, `${source}.maxTokensPerDoc`, {
      min: 1,
    });
  }
  return options;
}
