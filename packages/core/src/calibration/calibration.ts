/** How a calibration maps raw scores to probabilities. */
export type CalibrationMethod = 'platt' | 'isotonic';

/**
 * A fitted mapping from one model's raw scores to probabilities of relevance, as JSON: save it
 * with `JSON.stringify`, read it back with `parseCalibration`. It names the provider and model
 * it was fitted on, and `withCalibration` refuses any other.
 */
export type Calibration = {
  /** The format of this object, so a later version can read older files. */
  readonly formatVersion: 1;
  readonly method: CalibrationMethod;
  /** The provider of the stage whose scores were fitted (`cohere`, `local-onnx`). */
  readonly provider: string;
  /** The model whose scores were fitted. */
  readonly modelId: string;
  /** How many labelled pairs, and how many relevant, the fit saw. */
  readonly fittedOn: { readonly pairs: number; readonly relevant: number };
  /** Platt: `p = 1 / (1 + exp(−(a · score + b)))`. */
  readonly platt?: { readonly a: number; readonly b: number };
  /**
   * Isotonic: a non-decreasing step function through `(scores[i], probabilities[i])`,
   * interpolated linearly between points and flat beyond the ends.
   */
  readonly isotonic?: {
    readonly scores: readonly number[];
    readonly probabilities: readonly number[];
  };
};
