import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { describe, describeChoice, validateInteger } from '../util/validate-arguments.js';

/**
 * What `rerank` does with a document longer than the model's input beside the query:
 * - `truncate`: sends it whole and lets the model (or provider) cut it, so only its beginning
 *   counts;
 * - `chunk-max`: splits it into overlapping windows that each fit, scores every window, and
 *   gives the document its best window's score.
 */
export type LongDocumentStrategy = 'truncate' | 'chunk-max';

/** The `longDocuments` option of `rerank`, `twoStage` and `createPipeline`. */
export type LongDocumentOptions = {
  /** See {@link LongDocumentStrategy}. */
  strategy: LongDocumentStrategy;
  /**
   * About how many tokens neighbouring windows share (whole words), so a passage cut by a window
   * edge is whole in one of them; an integer ≥ 0 below the window size. Used by `chunk-max` only.
   * @default a quarter of the window, at most 32 tokens
   */
  overlap?: number;
  /**
   * The most document tokens of one window; an integer ≥ 1. Smaller windows point closer at the
   * passage that answers, at the cost of more pairs to score. It is capped at what fits beside
   * the query, and it is what lets a stage that declares no input length (a hosted API, a
   * fallback chain) be windowed by characters at all. Used by `chunk-max` only.
   * @default as much as fits beside the query
   */
  maxWindowTokens?: number;
};

/**
 * Checked `longDocuments` settings.
 * @internal
 */
export type LongDocumentSettings = {
  strategy: LongDocumentStrategy;
  overlap: number | undefined;
  maxWindowTokens: number | undefined;
};

const optionNames = [
  'strategy',
  'overlap',
  'maxWindowTokens',
] as const satisfies readonly (keyof LongDocumentOptions)[];

/**
 * Checks the `longDocuments` option: an object with a known `strategy`, an integer `overlap`
 * ≥ 0 and an integer `maxWindowTokens` ≥ 1 whose window the overlap is smaller than, and no
 * other names. Object documents cannot be windowed (each adapter renders them its own way, so
 * core cannot know which offsets of the rendering fall in which field), so `chunk-max` with
 * `documentFormat: 'object'` is refused.
 *
 * @returns `undefined` when the option is absent (the `truncate` behaviour)
 * @throws InvalidArgumentError naming the offending path (`longDocuments.overlap`, ...)
 */
export function validateLongDocumentOptions(
  value: unknown,
  documentFormat: 'text' | 'object',
  argument = 'longDocuments',
): LongDocumentSettings | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument,
      message: `must be an object like { strategy: 'chunk-max' }, got ${describe(value)}.`,
    });
  }
  checkOptionNames(value, optionNames, argument, argument);
  const options = value as Partial<Record<(typeof optionNames)[number], unknown>>;
  const { strategy } = options;
  if (strategy !== 'truncate' && strategy !== 'chunk-max') {
    throw new InvalidArgumentError({
      argument: `${argument}.strategy`,
      message: `must be 'truncate' or 'chunk-max', got ${describeChoice(strategy)}.`,
    });
  }
  const overlap =
    options.overlap === undefined
      ? undefined
      : validateInteger(options.overlap, `${argument}.overlap`, { min: 0 });
  const maxWindowTokens =
    options.maxWindowTokens === undefined
      ? undefined
      : validateInteger(options.maxWindowTokens, `${argument}.maxWindowTokens`, { min: 1 });
  if (overlap !== undefined && maxWindowTokens !== undefined && overlap >= maxWindowTokens) {
    throw new InvalidArgumentError({
      argument: `${argument}.overlap`,
      message: `must be smaller than maxWindowTokens (${maxWindowTokens}), got ${overlap}: windows that share all their tokens never advance.`,
    });
  }
  if (strategy === 'chunk-max' && documentFormat === 'object') {
    throw new InvalidArgumentError({
      argument: `${argument}.strategy`,
      message:
        "'chunk-max' windows document text, and object documents are rendered by each adapter its own way; use documentFormat: 'text' (the default) with it.",
    });
  }
  return { strategy, overlap, maxWindowTokens };
}
