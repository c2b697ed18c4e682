import { InvalidArgumentError } from 'commander';

/**
 * Commander's parser for counts (`--top-k 50`): a whole number ≥ 1. A bad value is a usage
 * error (exit 2) naming the option.
 */
export function parseCountOption(value: string): number {
  const parsed = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number ≥ 1.');
  }
  return parsed;
}
