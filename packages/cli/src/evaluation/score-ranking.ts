import { hitRateAtK, ndcgAtK, precisionAtK, recallAtK, reciprocalRankAtK } from '@twostage/core';
import { mean } from './percentile.js';

/** The ranking metrics at cutoff k of one query (or their means over queries). */
export type RankingMetrics = {
  /** Relevant ids among the first k, over k (core's `precisionAtK`). */
  precision: number;
  /** Relevant ids among the first k, over all relevant ids (`recallAtK`). */
  recall: number;
  /** nDCG@k, linear gains, log2 discount, as trec_eval's ndcg_cut (`ndcgAtK`). */
  ndcg: number;
  /** Reciprocal rank of the first relevant id within k, else 0 (`reciprocalRankAtK`). */
  mrr: number;
  /** 1 when a relevant id is within k, else 0 (`hitRateAtK`). */
  hitRate: number;
};

/** The metric names in the order reports show them, with their labels. */
export const metricLabels: readonly [keyof RankingMetrics, string][] = [
  ['precision', 'precision@k'],
  ['recall', 'recall@k'],
  ['ndcg', 'nDCG@k'],
  ['mrr', 'MRR@k'],
  ['hitRate', 'hit-rate@k'],
];

/**
 * Scores one query's ranking with core's metrics. Only call it for a query with at least one
 * relevant judgment (the others are skipped and counted), so every metric is defined.
 */
export function scoreRanking(
  rankedIds: readonly string[],
  judgments: Readonly<Record<string, number>>,
  k: number,
): RankingMetrics {
  return {
    precision: precisionAtK(rankedIds, judgments, k),
    recall: recallAtK(rankedIds, judgments, k) ?? 0,
    ndcg: ndcgAtK(rankedIds, judgments, k) ?? 0,
    mrr: reciprocalRankAtK(rankedIds, judgments, k) ?? 0,
    hitRate: hitRateAtK(rankedIds, judgments, k) ?? 0,
  };
}

/** The mean of each metric over queries (0s when there are none). */
export function meanMetrics(perQuery: readonly RankingMetrics[]): RankingMetrics {
  return {
    precision: mean(perQuery.map((metrics) => metrics.precision)),
    recall: mean(perQuery.map((metrics) => metrics.recall)),
    ndcg: mean(perQuery.map((metrics) => metrics.ndcg)),
    mrr: mean(perQuery.map((metrics) => metrics.mrr)),
    hitRate: mean(perQuery.map((metrics) => metrics.hitRate)),
  };
}

/** `after − before`, metric by metric. */
export function metricDelta(before: RankingMetrics, after: RankingMetrics): RankingMetrics {
  return {
    precision: after.precision - before.precision,
    recall: after.recall - before.recall,
    ndcg: after.ndcg - before.ndcg,
    mrr: after.mrr - before.mrr,
    hitRate: after.hitRate - before.hitRate,
  };
}
