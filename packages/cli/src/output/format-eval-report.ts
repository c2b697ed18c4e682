import type { EvalReport } from '../evaluation/build-eval-report.js';
import { metricLabels } from '../evaluation/score-ranking.js';
import { excerpt } from './excerpt.js';
import { formatDelta, formatScore } from './format-numbers.js';
import { renderLatencyTable } from './render-latency-table.js';
import { renderTable } from './render-table.js';

/**
 * The readable form of an eval report: what was measured on what, stage-1 and re-ranked metrics
 * side by side with the delta, stage-1 recall of the candidate set, latency per stage, and the
 * queries re-ranking hurt most. Without a reranker, stage-1 figures only, and it says why.
 */
export function formatEvalReport(report: EvalReport): string {
  const { k, topK, queries, reranker } = report;
  const lines: string[] = [];
  const skipped =
    queries.skippedWithoutJudgments === 0
      ? ''
      : ` (${queries.skippedWithoutJudgments} skipped: no relevant judgment in the qrels)`;
  lines.push(
    `Evaluated ${queries.evaluated} of ${queries.total} queries${skipped} · k = ${k} · candidates: top ${topK}`,
  );
  lines.push(`Stage 1: ${report.stageOne}`);
  if (reranker.available) {
    lines.push(`Stage 2: ${reranker.label}`);
    if (reranker.standIn) {
      lines.push(
        '         a stand-in that counts shared words, not a model: these figures do not measure a cross-encoder.',
      );
    }
  } else {
    lines.push(`Stage 2: NOT RUN: ${reranker.reason}`);
    lines.push('         Stage-1 figures only.');
  }
  lines.push('');
  const at = (label: string) => label.replace('@k', `@${k}`);
  const { stageOne, reranked, delta } = report.metrics;
  if (reranked !== null && delta !== null) {
    lines.push(
      renderTable(
        [
          { header: 'metric' },
          { header: 'stage 1', align: 'right' },
          { header: 're-ranked', align: 'right' },
          { header: 'delta', align: 'right' },
        ],
        metricLabels.map(([name, label]) => [
          at(label),
          formatScore(stageOne[name]),
          formatScore(reranked[name]),
          formatDelta(delta[name]),
        ]),
      ),
    );
  } else {
    lines.push(
      renderTable(
        [{ header: 'metric' }, { header: 'stage 1', align: 'right' }],
        metricLabels.map(([name, label]) => [at(label), formatScore(stageOne[name])]),
      ),
    );
  }
  lines.push('');
  lines.push(
    `Stage-1 recall@${topK} (the candidate set: the most any reranker can reach): ${formatScore(report.stageOneRecallAtTopK)}`,
  );
  lines.push('');
  lines.push(
    renderLatencyTable([
      ['retrieve', report.latencyMs.retrieve],
      ['rerank', report.latencyMs.rerank],
    ]),
  );
  if (reranker.available) {
    lines.push('');
    if (report.hurtMost.length === 0) {
      lines.push(`Re-ranking lowered nDCG@${k} for no query.`);
    } else {
      lines.push(`Queries re-ranking hurt most (nDCG@${k}):`);
      lines.push(
        renderTable(
          [
            { header: 'query' },
            { header: 'stage 1', align: 'right' },
            { header: 're-ranked', align: 'right' },
            { header: 'delta', align: 'right' },
            { header: 'text' },
          ],
          report.hurtMost.map((row) => [
            row.id,
            formatScore(row.stageOneNdcg),
            formatScore(row.rerankedNdcg),
            formatDelta(row.delta),
            excerpt(row.text, 60),
          ]),
        ),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
