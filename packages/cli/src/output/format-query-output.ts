import { describeSource, titleOf } from './describe-source.js';
import { excerpt } from './excerpt.js';
import { formatMs, formatScore } from './format-numbers.js';
import type { QueryOutput } from './query-output.js';
import { renderTable } from './render-table.js';

/**
 * The readable form of a query's results: a heading naming both stages, a table (stage-1 rank →
 * final rank, both scores, source and offsets, an excerpt), the timings per stage and any
 * warnings. A degraded result is marked "not re-ranked" in the heading and has no rerank scores.
 */
export function formatQueryOutput(
  output: QueryOutput,
  context: { stageOne: string; reranker: string; standIn: boolean; topK: number; width: number },
): string {
  const lines: string[] = [`Query: ${output.query}`];
  lines.push(`Stage 1: ${context.stageOne} (top ${context.topK} candidates)`);
  if (output.degraded) {
    lines.push('Stage 2: NOT RE-RANKED: results are in stage-1 order (see the reason above).');
  } else {
    lines.push(`Stage 2: ${context.reranker}`);
    if (context.standIn) {
      lines.push(
        '         a stand-in that counts shared words, not a model: its order shows nothing about a cross-encoder.',
      );
    }
  }
  lines.push('');
  if (output.results.length === 0) {
    lines.push(
      'No results: stage 1 found no candidate for this query (or the filter matched none).',
    );
  } else {
    const rows = output.results.map((result, index) => [
      `${result.retrieveRank} → ${index + 1}`,
      formatScore(result.rerankScore),
      formatScore(result.retrieveScore),
      describeSource(result.id, result.metadata),
      result.text,
      titleOf(result.metadata) ?? '',
    ]);
    // The excerpt takes what the terminal has left after the other columns.
    const longest = (values: string[]) => Math.max(6, ...values.map((value) => [...value].length));
    const used =
      longest(output.results.map((result) => result.id)) +
      longest(rows.map((row) => row[3] as string)) +
      44;
    const room = Math.max(30, Math.min(100, context.width - used));
    const table = renderTable(
      [
        { header: 'stage 1 → final', align: 'right' },
        { header: 'rerank', align: 'right' },
        { header: 'stage-1', align: 'right' },
        { header: 'id' },
        { header: 'source' },
        { header: 'excerpt' },
      ],
      rows.map(([ranks, rerank, retrieve, source, text, title], index) => [
        ranks as string,
        rerank as string,
        retrieve as string,
        output.results[index]?.id ?? '',
        source as string,
        excerpt(
          // The index may already have put the title at the start of the text.
          title === '' || (text as string).startsWith(title as string)
            ? (text as string)
            : `${title}: ${text}`,
          room,
        ),
      ]),
    );
    lines.push(table);
  }
  lines.push('');
  const { retrieveMs, rerankMs, totalMs } = output.timings;
  lines.push(
    `Timings: retrieve ${formatMs(retrieveMs)} · rerank ${output.degraded ? '– (not run)' : formatMs(rerankMs)} · total ${formatMs(totalMs)}`,
  );
  for (const warning of output.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
