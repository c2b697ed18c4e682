import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { readInputFile, splitLines } from './read-input-file.js';

/** Relevance judgments: query id → (corpus id → grade). Grade 0 means judged not relevant. */
export type Qrels = Map<string, Map<string, number>>;

const formatHint =
  'A BEIR qrels file is tab-separated with the header "query-id<TAB>corpus-id<TAB>score", then one judgment per line (score: a number, 0 = not relevant, higher = more relevant).';

/**
 * Reads a BEIR qrels TSV: the header `query-id corpus-id score`, then one `query-id corpus-id
 * score` judgment per line, tab-separated (runs of spaces are accepted too). Scores are graded
 * relevance (0 = judged not relevant); a negative score is read as 0. Blank lines are skipped;
 * a pair judged twice keeps its last grade.
 *
 * @throws CliError naming the file and line of a missing header, a wrong column count or a
 * non-numeric score
 */
export async function readBeirQrels(path: string, context: CliContext): Promise<Qrels> {
  const text = await readInputFile(path, '--qrels', context);
  const qrels: Qrels = new Map();
  let headerSeen = false;
  splitLines(text).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${path}:${index + 1}`;
    const columns = (line.includes('\t') ? line.split('\t') : line.trim().split(/\s+/)).map(
      (column) => column.trim(),
    );
    if (!headerSeen) {
      headerSeen = true;
      if (columns.length === 3 && !isNumeric(columns[2] as string)) return;
      throw new CliError(
        `${where}: the header line "query-id<TAB>corpus-id<TAB>score" is missing (found "${truncate(line)}").`,
        {
          hint:
            columns.length === 4
              ? 'This looks like TREC qrels (query 0 doc grade); BEIR qrels have 3 columns and a header line.'
              : formatHint,
        },
      );
    }
    if (columns.length !== 3) {
      throw new CliError(
        `${where}: expected 3 columns (query-id, corpus-id, score), found ${columns.length}.`,
        { hint: formatHint },
      );
    }
    const [queryId, corpusId, score] = columns as [string, string, string];
    if (queryId === '' || corpusId === '') {
      throw new CliError(`${where}: the query id and the corpus id must not be empty.`, {
        hint: formatHint,
      });
    }
    if (!isNumeric(score)) {
      throw new CliError(`${where}: the score "${truncate(score)}" is not a number.`, {
        hint: formatHint,
      });
    }
    let judgments = qrels.get(queryId);
    if (judgments === undefined) {
      judgments = new Map();
      qrels.set(queryId, judgments);
    }
    judgments.set(corpusId, Math.max(0, Number(score)));
  });
  if (!headerSeen) {
    throw new CliError(`${path}: is empty; expected a header line and judgments.`, {
      hint: formatHint,
    });
  }
  return qrels;
}

/** The judgments of one query as core's metrics take them: only positive grades count. */
export function judgmentsOf(qrels: Qrels, queryId: string): Record<string, number> {
  const judgments: Record<string, number> = {};
  for (const [corpusId, grade] of qrels.get(queryId) ?? []) judgments[corpusId] = grade;
  return judgments;
}

/** Whether a query has at least one document judged relevant (grade > 0). */
export function hasRelevant(qrels: Qrels, queryId: string): boolean {
  for (const grade of qrels.get(queryId)?.values() ?? []) if (grade > 0) return true;
  return false;
}

function isNumeric(value: string): boolean {
  return value.trim() !== '' && Number.isFinite(Number(value));
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
