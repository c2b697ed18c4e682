import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Calibration, parseCalibration } from '@twostage/core';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';

/**
 * Reads and checks the calibration file of `--calibration` (written by `twostage calibrate`).
 * @throws CliError when the file cannot be read; InvalidArgumentError naming a damaged field
 */
export async function readCalibrationFile(file: string, context: CliContext): Promise<Calibration> {
  let text: string;
  try {
    text = await readFile(resolve(context.cwd, file), 'utf8');
  } catch (error) {
    throw new CliError(`--calibration '${file}' cannot be read: ${(error as Error).message}`, {
      hint: 'Write one with twostage calibrate --out <file>.',
      cause: error,
    });
  }
  return parseCalibration(text);
}
