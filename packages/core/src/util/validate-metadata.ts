import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { DocumentMetadata } from '../spec/v1/shared-v1.js';

/**
 * Checks that `metadata` is a plain object of Pinecone-typed fields — strings, finite numbers,
 * booleans or arrays of strings — whose names do not start with `$` (the filter language
 * reserves them). The embedded index and the Pinecone adapter share this check, so a record that
 * one accepts the other accepts too.
 *
 * @param metadata - the value to check
 * @param argument - its path, for the error (e.g. `documents[3].metadata`)
 * @throws InvalidArgumentError naming the offending field
 */
export function validateMetadata(
  metadata: unknown,
  argument: string,
): asserts metadata is DocumentMetadata {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new InvalidArgumentError({ argument, message: 'must be a plain object.' });
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (key.startsWith('$')) {
      throw new InvalidArgumentError({
        argument: `${argument}.${key}`,
        message: "field names must not start with '$' (filters reserve them for operators).",
      });
    }
    const valid =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (Array.isArray(value) && value.every((element) => typeof element === 'string'));
    if (!valid) {
      throw new InvalidArgumentError({
        argument: `${argument}.${key}`,
        message:
          'must be a string, a finite number, a boolean or an array of strings (the value types Pinecone stores).',
      });
    }
  }
}
