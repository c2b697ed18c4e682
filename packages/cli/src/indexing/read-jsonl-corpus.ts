import { type DocumentMetadata, InvalidArgumentError, validateMetadata } from '@twostage/core';
import { CliError } from '../cli-error.js';

/** One record of a JSON Lines corpus. */
export type CorpusRecord = {
  /** The record's `_id` (BEIR) or `id`, kept as the document id so qrels refer to it. */
  id: string;
  /** The 1-based line it is on. */
  line: number;
  /** `title`, when given and not blank. */
  title?: string;
  /** `text`. */
  text: string;
  /** `metadata`, Pinecone-typed (strings, numbers, booleans, arrays of strings). */
  metadata?: DocumentMetadata;
};

/**
 * Parses a JSON Lines corpus, one `{ _id | id, title?, text, metadata? }` object a line (a BEIR
 * `corpus.jsonl` as it is). Blank lines are ignored; a numeric id is taken as its decimal string.
 *
 * @throws CliError naming the file and line of the first malformed line, record without `text`
 *   or id, bad metadata, or id used twice
 */
export function readJsonlCorpus(content: string, shown: string): CorpusRecord[] {
  const records: CorpusRecord[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = content.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = (lines[index] as string).replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const line = index + 1;
    const fail = (message: string, cause?: unknown) =>
      new CliError(`${shown}:${line}: ${message}`, {
        hint: 'Each line must be one JSON object { "_id" or "id", "title"?, "text", "metadata"? }; fix the line and run again.',
        cause,
      });
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw fail(
        `not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
        error,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw fail('expected a JSON object { "_id", "text", ... }.');
    }
    const record = value as Record<string, unknown>;
    const rawId = record._id ?? record.id;
    if (rawId === undefined) throw fail('the record has no "_id" or "id".');
    if (
      !(typeof rawId === 'string' && rawId !== '') &&
      !(typeof rawId === 'number' && Number.isFinite(rawId))
    ) {
      throw fail(`"_id" must be a non-empty string or a number, got ${JSON.stringify(rawId)}.`);
    }
    const id = String(rawId);
    if (!('text' in record)) throw fail(`the record '${id}' has no "text".`);
    if (typeof record.text !== 'string') throw fail(`"text" of '${id}' must be a string.`);
    if (record.title !== undefined && record.title !== null && typeof record.title !== 'string') {
      throw fail(`"title" of '${id}' must be a string.`);
    }
    const earlier = firstLineOf.get(id);
    if (earlier !== undefined)
      throw fail(`the id '${id}' is used twice (first on line ${earlier}).`);
    firstLineOf.set(id, line);
    const parsed: CorpusRecord = { id, line, text: record.text };
    if (typeof record.title === 'string' && record.title.trim() !== '')
      parsed.title = record.title.trim();
    if (record.metadata !== undefined && record.metadata !== null) {
      try {
        validateMetadata(record.metadata, 'metadata');
      } catch (error) {
        if (!InvalidArgumentError.isInstance(error)) throw error;
        throw fail(`bad "metadata" of '${id}': ${error.message}`, error);
      }
      parsed.metadata = record.metadata as DocumentMetadata;
    }
    records.push(parsed);
  }
  return records;
}
