import { recallAtK } from '@twostage/core';
import type { BeirQuery } from '../inputs/read-beir-queries.js';
import { type LatencySummary, mean, summarizeLatency } from './percentile.js';
import { meanMetrics, metricDelta, type RankingMetrics, scoreRanking } from './score-ranking.js';

/** What was run for one judged query: both orders and their timings. */
export type EvaluatedQuery = {
  query: BeirQuery;
  /** The query's judgments (corpus id → grade). */
  judgments: Record<string, number>;
  /** Stage-1 candidate ids, best first (at most top-K). */
  stageOneIds: string[];
  /** The same candidates in re-ranked order; `null` when the reranker could not run. */
  rerankedIds: string[] | null;
  retrieveMs: number;
  rerankMs: number | null;
};

/** How the reranker of a report was chosen, or why there was none. */
export type ReportReranker =
  | { label: string; standIn: boolean; available: true }
  | { label: string; available: false; reason: string; hint: string };

/** The report of `twostage eval`; `--json` prints it as it is. */
export type EvalReport = {
  /** The cutoff of the ranking metrics (`--k`). */
  k: number;
  /** The candidate set size (`--top-k`): stage-1 recall is measured at this depth. */
  topK: number;
  stageOne: string;
  reranker: ReportReranker;
  queries: {
    /** Queries in the queries file. */
    total: number;
    /** Queries with at least one relevant judgment: the ones the figures average over. */
    evaluated: number;
    /** Queries without any relevant judgment, skipped. */
    skippedWithoutJudgments: number;
    /** Distinct query ids in the qrels that the queries file does not hold (ignored). */
    qrelsUnknownQueryIds: number;
  };
  /** Means over the evaluated queries at cutoff k. */
  metrics: {
    stageOne: RankingMetrics;
    /** `null` when the reranker could not run. */
    reranked: RankingMetrics | null;
    /** reranked − stageOne; `null` when the reranker could not run. */
    delta: RankingMetrics | null;
  };
  /**
   * Mean recall of the whole candidate set (stage 1 at depth top-K): the ceiling of any
   * reranker. Low here is a retrieval problem that re-ranking cannot fix.
   */
  stageOneRecallAtTopK: number;
  latencyMs: { retrieve: LatencySummary | null; rerank: LatencySummary | null };
  /** Up to five queries whose nDCG@k re-ranking lowered most (delta < 0), worst first. */
  hurtMost: {
    id: string;
    text: string;
    stageOneNdcg: number;
    rerankedNdcg: number;
    delta: number;
  }[];
  /** Every evaluated query's figures. */
  perQuery: {
    id: string;
    /** Stage 1's first k ids. */
    stageOneTop: string[];
    /** The re-ranked first k ids; `null` when the reranker could not run. */
    rerankedTop: string[] | null;
    stageOne: RankingMetrics;
    reranked: RankingMetrics | null;
    stageOneRecallAtTopK: number;
  }[];
  /** Input problems that did not stop the run (qrels for unknown queries, ...). */
  warnings: string[];
};

/** Computes an {@link EvalReport} from the runs of the judged queries. */
export function buildEvalReport(input: {
  k: number;
  topK: number;
  stageOne: string;
  reranker: ReportReranker;
  totalQueries: number;
  skippedWithoutJudgments: number;
  qrelsUnknownQueryIds: number;
  warnings: string[];
  runs: readonly EvaluatedQuery[];
}): EvalReport {
  const { k, topK, runs } = input;
  const perQuery = runs.map((run) => ({
    id: run.query.id,
    stageOneTop: run.stageOneIds.slice(0, k),
    rerankedTop: run.rerankedIds?.slice(0, k) ?? null,
    stageOne: scoreRanking(run.stageOneIds, run.judgments, k),
    reranked: run.rerankedIds === null ? null : scoreRanking(run.rerankedIds, run.judgments, k),
    stageOneRecallAtTopK: recallAtK(run.stageOneIds, run.judgments, topK) ?? 0,
  }));
  const reranked = input.reranker.available
    ? meanMetrics(perQuery.map((row) => row.reranked as RankingMetrics))
    : null;
  const stageOne = meanMetrics(perQuery.map((row) => row.stageOne));
  const hurtMost = perQuery
    .flatMap((row, index) => {
      if (row.reranked === null) return [];
      const delta = row.reranked.ndcg - row.stageOne.ndcg;
      // Floating-point noise is not harm.
      if (delta >= -1e-12) return [];
      const { query } = runs[index] as EvaluatedQuery;
      return [
        {
          id: query.id,
          text: query.text,
          stageOneNdcg: row.stageOne.ndcg,
          rerankedNdcg: row.reranked.ndcg,
          delta,
        },
      ];
    })
    .sort((left, right) => left.delta - right.delta || left.id.localeCompare(right.id))
    .slice(0, 5);
  const rerankTimes = runs.flatMap((run) => (run.rerankMs === null ? [] : [run.rerankMs]));
  return {
    k,
    topK,
    stageOne: input.stageOne,
    reranker: input.reranker,
    queries: {
      total: input.totalQueries,
      evaluated: runs.length,
      skippedWithoutJudgments: input.skippedWithoutJudgments,
      qrelsUnknownQueryIds: input.qrelsUnknownQueryIds,
    },
    metrics: {
      stageOne,
      reranked,
      delta: reranked === null ? null : metricDelta(stageOne, reranked),
    },
    stageOneRecallAtTopK: mean(perQuery.map((row) => row.stageOneRecallAtTopK)),
    latencyMs: {
      retrieve: summarizeLatency(runs.map((run) => run.retrieveMs)),
      rerank: summarizeLatency(rerankTimes),
    },
    hurtMost,
    perQuery,
    warnings: input.warnings,
  };
}
