/**
 * Answers one question with whatever stages the environment names:
 *
 *   TWOSTAGE_RETRIEVER=memory:./corpus.jsonl TWOSTAGE_RERANKER=mock pnpm start "early repayment fee"
 *
 * Prints one JSON object: the stages used, the ranked results and the timings. See README.md for
 * the three configurations (embedded + local ONNX, embedded + Cohere, Pinecone + Cohere).
 */
import { createSwapPipeline } from './swap-pipeline.js';

const question = process.argv.slice(2).join(' ').trim();
if (question === '') {
  console.error(
    'usage: pnpm start "<question>"   (stages from TWOSTAGE_RETRIEVER and TWOSTAGE_RERANKER)',
  );
  process.exit(2);
}
try {
  const { pipeline, retriever, reranker } = await createSwapPipeline({ rerankTopN: 3 });
  const result = await pipeline.run(question);
  const output = {
    question,
    retriever: retriever.provider,
    reranker: `${reranker.provider}:${reranker.modelId}`,
    results: result.results.map((item) => ({
      id: item.id,
      rerankScore: item.rerankScore,
      retrieveRank: item.retrieveRank,
      text: item.text,
    })),
    timings: result.timings,
    degraded: result.degraded,
  };
  console.log(JSON.stringify(output, null, 2));
} catch (error) {
  // One line that says what to set, never a stack trace.
  console.error(`provider-swap: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
