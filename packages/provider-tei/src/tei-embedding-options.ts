import { InvalidArgumentError } from '@twostage/core';
import { checkOptionNames, validateInteger } from '@twostage/core/provider-utils';

/** Options of one TEI embedding model, given to `provider.embeddingModel(modelId, options)`. */
export type TeiEmbeddingOptions = {
  /**
   * The length of the vectors the served model returns (TEI's `/info` does not report it).
   * Answers of another length are an `InvalidResponseError`.
   */
  dimensions: number;
  /** TEI's `normalize`: unit-length vectors. @default true (TEI's default) */
  normalize?: boolean;
  /** TEI's `truncate`. @default the server's `--auto-truncate` (not sent) */
  truncate?: boolean;
  /**
   * `prompt_name` per input type: names in the model's sentence-transformers `prompts`
   * (e.g. `{ query: 'query', document: 'passage' }`); not sent when unset.
   */
  promptNames?: { query?: string; document?: string };
};

const optionNames = ['dimensions', 'normalize', 'truncate', 'promptNames'] as const;

/** The option names a TEI embedding model accepts. */
export const teiEmbeddingOptionNames: readonly string[] = optionNames;

/** Reads and checks embedding options; `source` names where they came from in errors. */
export function parseTeiEmbeddingOptions(value: unknown, source: string): TeiEmbeddingOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument: source,
      message: 'must be an object with at least `dimensions` (the served model has no default).',
    });
  }
  checkOptionNames(value, optionNames, 'the tei embedding model', source);
  const record = value as Record<string, unknown>;
  const options: TeiEmbeddingOptions = {
    dimensions: validateInteger(record.dimensions, `${source}.dimensions`, { min: 1 }),
  };
  for (const name of ['normalize', 'truncate'] as const) {
    if (record[name] === undefined) continue;
    if (typeof record[name] !== 'boolean') {
      throw new InvalidArgumentError({
        argument: `${source}.${name}`,
        message: 'must be a boolean.',
      });
    }
    options[name] = record[name];
  }
  if (record.promptNames !== undefined) {
    const names = record.promptNames;
    if (names === null || typeof names !== 'object' || Array.isArray(names)) {
      throw new InvalidArgumentError({
        argument: `${source}.promptNames`,
        message: 'must be an object.',
      });
    }
    checkOptionNames(
      names,
      ['query', 'document'],
      'the tei embedding model',
      `${source}.promptNames`,
    );
    for (const [key, name] of Object.entries(names)) {
      if (name !== undefined && (typeof name !== 'string' || name === '')) {
        throw new InvalidArgumentError({
          argument: `${source}.promptNames.${key}`,
          message: 'must be a non-empty string.',
        });
      }
    }
    options.promptNames = { ...(names as { query?: string; document?: string }) };
  }
  return options;
}
