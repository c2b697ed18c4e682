import type { CompareReport } from '../evaluation/build-compare-report.js';
import { metricLabels } from '../evaluation/score-ranking.js';
import { excerpt } from './excerpt.js';
import { formatDelta, formatScore } from './format-numbers.js';
import { renderLatencyTable } from './render-latency-table.js';
import { renderTable } from './render-table.js';

/**
 * The readable form of a compare report: the two rerankers, their agreement on the same stage-1
 * candidates, latency of each, metrics and their delta (b − a) with qrels, and the queries where
 * they disagree most.
 */
export function formatCompareReport(report: CompareReport): string {
  const { k, topK } = report;
  const lines: string[] = [];
  lines.push(
    `Compared on ${report.queries.compared} of ${report.queries.total} queries · k = ${k} · both re-rank the same top ${topK} stage-1 candidates`,
  );
  lines.push(`Stage 1: ${report.stageOne}`);
  lines.push(`A: ${report.a.label}`);
  lines.push(`B: ${report.b.label}`);
  if (report.a.standIn || report.b.standIn) {
    lines.push('   (a stand-in counts shared words; it is not a model)');
  }
  lines.push('');
  lines.push(
    renderTable(
      [{ header: 'agreement (mean)' }, { header: 'value', align: 'right' }, { header: 'meaning' }],
      [
        [
          `overlap@${k}`,
          formatScore(report.agreement.overlapAtK),
          `share of ids both put in their top ${k}`,
        ],
        [
          "Kendall's tau",
          formatScore(report.agreement.kendallTau),
          `tau-b over the union of both top ${k} (1 same order, −1 reversed)`,
        ],
        [
          'RBO (p = 0.9)',
          formatScore(report.agreement.rbo),
          'rank-biased overlap of the full orders, extrapolated',
        ],
      ],
    ),
  );
  lines.push('');
  lines.push(
    renderLatencyTable([
      ['retrieve', report.latencyMs.retrieve],
      ['A rerank', report.latencyMs.a],
      ['B rerank', report.latencyMs.b],
    ]),
  );
  if (report.metrics !== null) {
    const { stageOne, a, b, delta } = report.metrics;
    lines.push('');
    lines.push(`Metrics over ${report.queries.judged ?? 0} judged queries:`);
    lines.push(
      renderTable(
        [
          { header: 'metric' },
          { header: 'stage 1', align: 'right' },
          { header: 'A', align: 'right' },
          { header: 'B', align: 'right' },
          { header: 'B − A', align: 'right' },
        ],
        metricLabels.map(([name, label]) => [
          label.replace('@k', `@${k}`),
          formatScore(stageOne[name]),
          formatScore(a[name]),
          formatScore(b[name]),
          formatDelta(delta[name]),
        ]),
      ),
    );
  }
  lines.push('');
  if (report.disagreeMost.length === 0) {
    lines.push('A and B order the candidates identically on every query.');
  } else {
    lines.push('Queries where A and B disagree most (lowest RBO):');
    lines.push(
      renderTable(
        [
          { header: 'query' },
          { header: 'RBO', align: 'right' },
          { header: `overlap@${k}`, align: 'right' },
          { header: 'tau', align: 'right' },
          { header: 'text' },
        ],
        report.disagreeMost.map((row) => [
          row.id,
          formatScore(row.rbo),
          formatScore(row.overlapAtK),
          formatScore(row.kendallTau),
          excerpt(row.text, 70),
        ]),
      ),
    );
    for (const row of report.disagreeMost) {
      lines.push(`  ${row.id}  A top ${k}: ${row.topA.join(', ')}`);
      lines.push(`  ${' '.repeat(row.id.length)}  B top ${k}: ${row.topB.join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
