import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { validateOptionsObject } from '../util/validate-arguments.js';
import type { Calibration, CalibrationMethod } from './calibration.js';
import { checkLabelledScores } from './check-labelled-scores.js';
import { fitIsotonic } from './fit-isotonic.js';
import { fitPlatt } from './fit-platt.js';

/** Options of {@link calibrate}. */
export type CalibrateOptions = {
  /** A stage's raw scores of labelled (query, document) pairs. */
  scores: readonly number[];
  /** 1 (or `true`) where the document is relevant to the query, else 0; as long as `scores`. */
  labels: readonly (0 | 1 | boolean)[];
  /**
   * `platt`: a logistic curve (two parameters; robust with a few hundred pairs). `isotonic`: any
   * non-decreasing curve (needs more pairs; fits scores whose shape is not logistic).
   * @default 'platt'
   */
  method?: CalibrationMethod;
  /** The provider of the stage that produced the scores. */
  provider: string;
  /** The model that produced the scores. */
  modelId: string;
};

const optionNames = ['scores', 'labels', 'method', 'provider', 'modelId'] as const;

/**
 * Fits a mapping from one model's raw scores to probabilities of relevance, on labelled pairs,
 * so that a `minScore` threshold means the same after a model swap (logits, probabilities and
 * sigmoids applied twice all become one scale). Apply it with `withCalibration`.
 *
 * @example
 * const calibration = calibrate({ scores, labels, method: 'platt', provider: 'cohere', modelId: 'rerank-v3.5' });
 * const reranker = withCalibration(cohere.reranker('rerank-v3.5'), calibration);
 * @throws InvalidArgumentError for unequal or empty arrays, a non-finite score, a label that is
 *   not 0/1, labels of one class only, an unknown method or option name
 */
export function calibrate(options: CalibrateOptions): Calibration {
  validateOptionsObject(options);
  checkOptionNames(options, optionNames, 'calibrate()');
  const method = options.method ?? 'platt';
  if (method !== 'platt' && method !== 'isotonic') {
    throw new InvalidArgumentError({
      argument: 'method',
      message: `must be 'platt' or 'isotonic', got ${String(method)}.`,
    });
  }
  for (const name of ['provider', 'modelId'] as const) {
    if (typeof options[name] !== 'string' || options[name].trim() === '') {
      throw new InvalidArgumentError({
        argument: name,
        message: 'must name the stage the scores come from (a calibration fits one model only).',
      });
    }
  }
  const { scores, labels } = checkLabelledScores(options.scores, options.labels, true);
  const fittedOn = { pairs: scores.length, relevant: labels.filter((label) => label === 1).length };
  const base = {
    formatVersion: 1 as const,
    method,
    provider: options.provider,
    modelId: options.modelId,
    fittedOn,
  };
  return method === 'platt'
    ? { ...base, platt: fitPlatt(scores, labels) }
    : { ...base, isotonic: fitIsotonic(scores, labels) };
}
