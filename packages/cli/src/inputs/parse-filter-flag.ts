import { type MetadataFilter, validateFilter } from '@twostage/core';
import { usageError } from '../cli-error.js';
import { findJsonError } from './find-json-error.js';

/**
 * Parses `--filter '<json>'` into a metadata filter (Pinecone's language) and checks it, so a
 * typo fails before any stage runs.
 *
 * @throws CliError (usage, exit 2) with the position of a JSON syntax error, or the path of the
 * part of the filter that is invalid
 */
export function parseFilterFlag(text: string, command: string): MetadataFilter {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const found = findJsonError(text) ?? { position: text.length, expected: 'valid JSON' };
    const where =
      found.position >= text.length
        ? 'at the end'
        : `at position ${found.position} ('${text[found.position]}', after '${text.slice(Math.max(0, found.position - 12), found.position)}')`;
    throw usageError(
      `--filter is not valid JSON: expected ${found.expected} ${where} (${(error as Error).message}).`,
      command,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(`--filter must be a JSON object, e.g. '{"lang": "en"}'.`, command);
  }
  try {
    validateFilter(value);
  } catch (error) {
    throw usageError(`--filter: ${(error as Error).message}`, command);
  }
  return value as MetadataFilter;
}
