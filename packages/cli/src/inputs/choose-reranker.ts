import { withCalibration } from '@twostage/core';
import type { CliContext } from '../cli-context.js';
import { type CliReranker, labelOf, resolveCliReranker } from '../resolve-cli-reranker.js';
import { readCalibrationFile } from './read-calibration-file.js';

/** The reranker a command runs, and whether the user named it (flag or `TWOSTAGE_RERANKER`). */
export type ChosenReranker = CliReranker & {
  /** Named explicitly: its failures are errors. Otherwise the default model, which may degrade. */
  explicit: boolean;
};

/**
 * Resolves `--reranker`, else `TWOSTAGE_RERANKER`, else the default model (see
 * `resolveCliReranker`). A reranker the user named that fails is an error; the default one that
 * cannot be had comes back unavailable. With `calibrationFile` (`--calibration`), its scores are
 * that calibration's probabilities.
 */
export async function chooseReranker(
  flag: string | undefined,
  context: CliContext,
  calibrationFile?: string,
): Promise<ChosenReranker> {
  const env = context.env.TWOSTAGE_RERANKER;
  const explicit = flag !== undefined || (env !== undefined && env.trim() !== '');
  // Read first: a bad file fails before any model loads.
  const calibration =
    calibrationFile === undefined ? undefined : await readCalibrationFile(calibrationFile, context);
  const chosen = await resolveCliReranker(flag, context);
  if (calibration === undefined || chosen.reranker === undefined) return { ...chosen, explicit };
  // withCalibration refuses a calibration fitted on another model, naming both.
  const reranker = withCalibration(chosen.reranker, calibration);
  return { ...chosen, reranker, label: `${labelOf(reranker)} (calibrated)`, explicit };
}
