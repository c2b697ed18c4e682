/**
 * The main job: retrieve + rerank over the bank-policy corpus (English and Vietnamese).
 *
 *   pnpm demo                       # every labelled question, with stage-1 recall and final precision
 *   pnpm demo "phí rút tiền ATM"    # one question of your own
 *
 * Stages come from configuration alone (see bank-pipeline.ts): TWOSTAGE_RETRIEVER, TWOSTAGE_RERANKER.
 */
import { ndcgAtK, recallAtK, reciprocalRank } from '@twostage/core';
import { createBankPipeline, type LabelledQuery, queriesPath } from './bank-pipeline.js';
import { loadJsonl } from './load-jsonl.js';

const retrieveTopK = 20;
const rerankTopN = 3;
const { pipeline, retrieverSource, rerankerSource } = await createBankPipeline({
  retrieveTopK,
  rerankTopN,
});
console.log(`stage 1: ${retrieverSource}`);
console.log(`stage 2: ${rerankerSource}\n`);

const ownQuestion = process.argv.slice(2).join(' ').trim();
const questions: LabelledQuery[] = ownQuestion
  ? [{ query: ownQuestion, relevant: [] }]
  : await loadJsonl<LabelledQuery>(queriesPath);

const totals = { recall: 0, reciprocal: 0, ndcg: 0, judged: 0 };
for (const { query, relevant } of questions) {
  // Stage-1 order is needed for recall@K, so ask the pipeline for every candidate it reranked
  // and keep the stage-1 rank it reports.
  const result = await pipeline.run(query, { rerankTopN: retrieveTopK });
  const top = result.results.slice(0, rerankTopN);
  console.log(`? ${query}`);
  for (const [position, item] of top.entries()) {
    const mark = relevant.includes(item.id) ? '✓' : ' ';
    const score = item.rerankScore === null ? 'n/a' : item.rerankScore.toFixed(3);
    console.log(
      `  ${position + 1}. ${mark} ${item.id.padEnd(12)} rerank ${score}  (stage-1 rank ${item.retrieveRank})  ${item.text.slice(0, 70)}…`,
    );
  }
  const timing = result.timings;
  console.log(
    `  retrieve ${timing.retrieveMs.toFixed(1)} ms · rerank ${timing.rerankMs.toFixed(1)} ms${result.degraded ? ' · DEGRADED: stage-1 order' : ''}`,
  );
  if (relevant.length > 0) {
    const stageOneOrder = [...result.results]
      .sort((left, right) => left.retrieveRank - right.retrieveRank)
      .map((item) => item.id);
    const finalOrder = result.results.map((item) => item.id);
    totals.recall += recallAtK(stageOneOrder, relevant, retrieveTopK) ?? 0;
    totals.reciprocal += reciprocalRank(finalOrder.slice(0, rerankTopN), relevant) ?? 0;
    totals.ndcg += ndcgAtK(finalOrder, relevant, rerankTopN) ?? 0;
    totals.judged += 1;
  }
  console.log();
}

if (totals.judged > 0) {
  const mean = (sum: number) => (sum / totals.judged).toFixed(3);
  console.log(`${totals.judged} labelled questions`);
  console.log(
    `  stage-1 recall@${retrieveTopK}: ${mean(totals.recall)}   (did retrieval find the answer?)`,
  );
  console.log(
    `  final MRR@${rerankTopN}:       ${mean(totals.reciprocal)}   (did reranking put it on top?)`,
  );
  console.log(`  final nDCG@${rerankTopN}:      ${mean(totals.ndcg)}`);
}
