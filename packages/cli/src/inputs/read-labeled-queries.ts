import type { CliContext } from '../cli-context.js';
import { hasRelevant, judgmentsOf, type Qrels, readBeirQrels } from './read-beir-qrels.js';
import { type BeirQuery, readBeirQueries } from './read-beir-queries.js';

/** Queries with their judgments, and what the qrels and queries did not share. */
export type LabeledQueries = {
  /** Every query of the file, in file order. */
  queries: BeirQuery[];
  /** The queries with at least one relevant judgment, with those judgments. */
  judged: { query: BeirQuery; judgments: Record<string, number> }[];
  /** How many queries have no relevant judgment (skipped by metrics, counted in reports). */
  skippedWithoutJudgments: number;
  /** Query ids the qrels judge that the queries file does not hold. */
  unknownQueryIds: string[];
  /** One line per input problem that does not stop the run. */
  warnings: string[];
  qrels: Qrels;
};

/** Reads `--queries` and `--qrels` and matches them up. */
export async function readLabeledQueries(
  paths: { queries: string; qrels: string },
  context: CliContext,
): Promise<LabeledQueries> {
  const queries = await readBeirQueries(paths.queries, context);
  const qrels = await readBeirQrels(paths.qrels, context);
  const known = new Set(queries.map((query) => query.id));
  const unknownQueryIds = [...qrels.keys()].filter((id) => !known.has(id));
  const judged = queries
    .filter((query) => hasRelevant(qrels, query.id))
    .map((query) => ({ query, judgments: judgmentsOf(qrels, query.id) }));
  const warnings: string[] = [];
  if (unknownQueryIds.length > 0) {
    const shown = unknownQueryIds.slice(0, 5).join(', ');
    const more = unknownQueryIds.length > 5 ? `, … (${unknownQueryIds.length - 5} more)` : '';
    warnings.push(
      `${paths.qrels} judges ${unknownQueryIds.length} query id(s) that ${paths.queries} does not hold, ignored: ${shown}${more}.`,
    );
  }
  return {
    queries,
    judged,
    skippedWithoutJudgments: queries.length - judged.length,
    unknownQueryIds,
    warnings,
    qrels,
  };
}
