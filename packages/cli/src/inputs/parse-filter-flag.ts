import { type MetadataFilter, validateFilter } from '@twostage/core';
import { usageError } from '../cli-error.js';

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
    const message = (error as Error).message;
    const match = /position (\d+)/.exec(message);
    // V8 names no position when the input simply ends early.
    const position = match === null ? text.length : Number(match[1]);
    throw usageError(
      `--filter is not valid JSON at position ${position} (${describePosition(text, position)}): ${message}`,
      command,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(`--filter must be a JSON object, e.g. '{"lang": "en"}'.`, command);
  }
  try {
    validateFilter(value as MetadataFilter);
  } catch (error) {
    throw usageError(`--filter: ${(error as Error).message}`, command);
  }
  return value as MetadataFilter;
}

function describePosition(text: string, position: number): string {
  const near = text.slice(Math.max(0, position - 10), position);
  return position >= text.length ? 'at the end' : `after "${near}"`;
}
