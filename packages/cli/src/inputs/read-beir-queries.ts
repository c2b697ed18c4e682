import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { readInputFile, splitLines } from './read-input-file.js';

/** One labeled query of a BEIR `queries.jsonl`. */
export type BeirQuery = {
  /** The query's id, as the qrels refer to it (`_id`). */
  id: string;
  /** The question. */
  text: string;
};

const formatHint =
  'Each line of a BEIR queries file is one JSON object: {"_id": "q1", "text": "How do I ...?"}.';

/**
 * Reads a BEIR `queries.jsonl`: one `{ "_id": string, "text": string }` object per line (other
 * fields are ignored; `id` is accepted for `_id`, and numeric ids are read as strings). Blank
 * lines are skipped.
 *
 * @throws CliError naming the file and line of the first malformed line, a repeated id, or an
 * empty file
 */
export async function readBeirQueries(path: string, context: CliContext): Promise<BeirQuery[]> {
  const text = await readInputFile(path, '--queries', context);
  const queries: BeirQuery[] = [];
  const seen = new Set<string>();
  splitLines(text).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${path}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new CliError(`${where}: not valid JSON (${(error as Error).message}).`, {
        hint: formatHint,
      });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CliError(`${where}: expected a JSON object, got ${describeJson(value)}.`, {
        hint: formatHint,
      });
    }
    const record = value as Record<string, unknown>;
    const rawId = record._id ?? record.id;
    if (!(typeof rawId === 'string' && rawId !== '') && typeof rawId !== 'number') {
      throw new CliError(`${where}: the query has no "_id" (a non-empty string).`, {
        hint: formatHint,
      });
    }
    const id = String(rawId);
    if (typeof record.text !== 'string' || record.text.trim() === '') {
      throw new CliError(`${where}: query '${id}' has no "text" (a non-blank string).`, {
        hint: formatHint,
      });
    }
    if (seen.has(id)) {
      throw new CliError(`${where}: the query id '${id}' appears twice.`, {
        hint: 'Give each query its own "_id"; the qrels refer to queries by id.',
      });
    }
    seen.add(id);
    queries.push({ id, text: record.text });
  });
  if (queries.length === 0) {
    throw new CliError(`${path}: holds no queries.`, { hint: formatHint });
  }
  return queries;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
