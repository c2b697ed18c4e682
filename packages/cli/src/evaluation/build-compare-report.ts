import { kendallTau, overlapAtK, rankBiasedOverlap } from '@twostage/core';
import type { BeirQuery } from '../inputs/read-beir-queries.js';
import { type LatencySummary, mean, summarizeLatency } from './percentile.js';
import { meanMetrics, metricDelta, type RankingMetrics, scoreRanking } from './score-ranking.js';

/** Both rerankers' full orders of one query's stage-1 candidates. */
export type ComparedQuery = {
  query: BeirQuery;
  /** The query's judgments, when qrels were given and it has a relevant one. */
  judgments: Record<string, number> | undefined;
  stageOneIds: string[];
  idsA: string[];
  idsB: string[];
  retrieveMs: number;
  rerankMsA: number;
  rerankMsB: number;
};

/** Agreement of the two rerankers on one query (or the means over queries). */
export type Agreement = {
  /** Shared ids among both top k, over k. */
  overlapAtK: number;
  /** Kendall's tau-b over the union of both top k (ids past k tied at the bottom). */
  kendallTau: number | null;
  /** Rank-biased overlap of the full orders, p = 0.9, extrapolated. */
  rbo: number;
};

/** The report of `twostage compare`; `--json` prints it as it is. */
export type CompareReport = {
  k: number;
  topK: number;
  stageOne: string;
  a: { label: string; standIn: boolean };
  b: { label: string; standIn: boolean };
  queries: {
    total: number;
    /** Queries whose stage 1 found candidates to compare on. */
    compared: number;
    /** With qrels: queries with a relevant judgment, the ones the metrics average over. */
    judged: number | null;
  };
  /** Means over the compared queries (tau over the queries where it is defined). */
  agreement: Agreement;
  /** Up to five queries with the lowest RBO, least agreement first. */
  disagreeMost: (Agreement & { id: string; text: string; topA: string[]; topB: string[] })[];
  latencyMs: {
    retrieve: LatencySummary | null;
    a: LatencySummary | null;
    b: LatencySummary | null;
  };
  /** With `--qrels`: means over the judged queries at cutoff k, and b − a. */
  metrics: {
    stageOne: RankingMetrics;
    a: RankingMetrics;
    b: RankingMetrics;
    delta: RankingMetrics;
  } | null;
  perQuery: (Agreement & { id: string })[];
  warnings: string[];
};

/** Computes a {@link CompareReport}. */
export function buildCompareReport(input: {
  k: number;
  topK: number;
  stageOne: string;
  a: { label: string; standIn: boolean };
  b: { label: string; standIn: boolean };
  totalQueries: number;
  withQrels: boolean;
  warnings: string[];
  runs: readonly ComparedQuery[];
}): CompareReport {
  const { k } = input;
  const compared = input.runs.filter((run) => run.stageOneIds.length > 0);
  const perQuery = compared.map((run) => ({
    id: run.query.id,
    overlapAtK: overlapAtK(run.idsA, run.idsB, k) ?? 1,
    kendallTau: kendallTau(run.idsA, run.idsB, k) ?? null,
    rbo: rankBiasedOverlap(run.idsA, run.idsB, { persistence: 0.9 }) ?? 1,
  }));
  const taus = perQuery.flatMap((row) => (row.kendallTau === null ? [] : [row.kendallTau]));
  const disagreeMost = perQuery
    .map((row, index) => {
      const run = compared[index] as ComparedQuery;
      return {
        ...row,
        text: run.query.text,
        topA: run.idsA.slice(0, k),
        topB: run.idsB.slice(0, k),
      };
    })
    .filter((row) => row.rbo < 1 - 1e-12)
    .sort((left, right) => left.rbo - right.rbo || left.id.localeCompare(right.id))
    .slice(0, 5);
  const judged = compared.filter((run) => run.judgments !== undefined);
  let metrics: CompareReport['metrics'] = null;
  if (input.withQrels) {
    const score = (pick: (run: ComparedQuery) => string[]) =>
      meanMetrics(judged.map((run) => scoreRanking(pick(run), run.judgments ?? {}, k)));
    const a = score((run) => run.idsA);
    const b = score((run) => run.idsB);
    metrics = { stageOne: score((run) => run.stageOneIds), a, b, delta: metricDelta(a, b) };
  }
  return {
    k,
    topK: input.topK,
    stageOne: input.stageOne,
    a: input.a,
    b: input.b,
    queries: {
      total: input.totalQueries,
      compared: compared.length,
      judged: input.withQrels ? judged.length : null,
    },
    agreement: {
      overlapAtK: mean(perQuery.map((row) => row.overlapAtK)),
      kendallTau: taus.length === 0 ? null : mean(taus),
      rbo: mean(perQuery.map((row) => row.rbo)),
    },
    disagreeMost,
    latencyMs: {
      retrieve: summarizeLatency(compared.map((run) => run.retrieveMs)),
      a: summarizeLatency(compared.map((run) => run.rerankMsA)),
      b: summarizeLatency(compared.map((run) => run.rerankMsB)),
    },
    metrics,
    perQuery,
    warnings: input.warnings,
  };
}
