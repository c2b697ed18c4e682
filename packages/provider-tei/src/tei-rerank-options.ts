import { InvalidArgumentError, type ScoreKindV1 } from '@twostage/core';
import { checkOptionNames } from '@twostage/core/provider-utils';

/**
 * Options of one TEI reranker: given to `provider.reranker(modelId, options)` as defaults, or
 * per call as `providerOptions: { tei: { ... } }` (which win; `rawScores` excepted: it decides
 * the stage's `scoreKind`).
 */
export type TeiRerankOptions = {
  /**
   * Asks TEI for the scores before the sigmoid (`raw_scores`); the stage's `scoreKind` is then
   * `logit`, else `probability`.
   * @default false
   */
  rawScores?: boolean;
  /**
   * TEI's `truncate`: whether too long inputs are cut (true) or refused with 422 (false).
   * @default the server's `--auto-truncate` (sent as null)
   */
  truncate?: boolean;
  /** Which end is cut when truncating (`truncation_direction`). @default 'right' */
  truncationDirection?: 'left' | 'right';
};

const optionNames = ['rawScores', 'truncate', 'truncationDirection'] as const;

/** The option names a TEI reranker accepts. */
export const teiRerankOptionNames: readonly string[] = optionNames;

/** Reads and checks reranker options; `source` names where they came from in errors. */
export function parseTeiRerankOptions(value: unknown, source: string): TeiRerankOptions {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: source, message: 'must be an object.' });
  }
  checkOptionNames(value, optionNames, 'the tei reranker', source);
  const record = value as Record<string, unknown>;
  const options: TeiRerankOptions = {};
  for (const name of ['rawScores', 'truncate'] as const) {
    if (record[name] === undefined) continue;
    if (typeof record[name] !== 'boolean') {
      throw new InvalidArgumentError({
        argument: `${source}.${name}`,
        message: 'must be a boolean.',
      });
    }
    options[name] = record[name];
  }
  if (record.truncationDirection !== undefined) {
    if (record.truncationDirection !== 'left' && record.truncationDirection !== 'right') {
      throw new InvalidArgumentError({
        argument: `${source}.truncationDirection`,
        message: `must be 'left' or 'right', got ${JSON.stringify(record.truncationDirection)}.`,
      });
    }
    options.truncationDirection = record.truncationDirection;
  }
  return options;
}

/** The score kind of a stage with these options. */
export function teiScoreKind(options: TeiRerankOptions): ScoreKindV1 {
  return options.rawScores === true ? 'logit' : 'probability';
}
