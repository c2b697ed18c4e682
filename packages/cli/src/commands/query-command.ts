import { createPipeline, type TwoStageResult } from '@twostage/core';
import { Command } from 'commander';
import { type CliContext, writeLine } from '../cli-context.js';
import { runStageOne } from '../evaluation/run-stage-one.js';
import { chooseReranker } from '../inputs/choose-reranker.js';
import { parseCountOption } from '../inputs/parse-count-option.js';
import { parseFilterFlag } from '../inputs/parse-filter-flag.js';
import { resolveStageOne } from '../inputs/resolve-stage-one.js';
import { formatQueryOutput } from '../output/format-query-output.js';
import type { QueryOutput } from '../output/query-output.js';
import { warningMessage } from '../output/warning-message.js';
import type { RegisterCommand } from './register-command.js';

type QueryFlags = {
  index?: string;
  retriever?: string;
  reranker?: string;
  calibration?: string;
  topK: number;
  topN: number;
  filter?: string;
  json?: boolean;
};

const examples = `
Examples:
  $ twostage query "Can I repay my loan early without a penalty?" --index ./bank-index
  $ twostage query "phí rút tiền mặt thẻ tín dụng" --index ./bank-index --top-n 3
  $ twostage query "margin call" --index ./bank-index --filter '{"lang": "en"}' --json
  $ twostage query "card fees" --index ./bank-index --reranker cohere:rerank-multilingual-v3.0
  $ twostage query "card fees" --retriever bm25:./bank-index/engine --reranker mock

Without --reranker or TWOSTAGE_RERANKER, the default local cross-encoder re-ranks; when it cannot
be loaded, the results are shown in stage-1 order, marked "not re-ranked".`;

/** `twostage query "<question>"`: one two-stage search, shown as a table or as JSON. */
export const registerQueryCommand: RegisterCommand = (context) =>
  new Command('query')
    .description('Ask one question: stage 1 retrieves candidates, the reranker orders them.')
    .argument('<question>', 'the question')
    .option('--index <dir>', 'an index built by twostage index')
    .option(
      '--retriever <ref>',
      'a stage-1 reference instead of --index (bm25:<dir>, pinecone:<index>, ...)',
    )
    .option(
      '--reranker <ref>',
      'the reranker (cohere:<model>, local-onnx:<hub id or dir>, mock); default: TWOSTAGE_RERANKER, else the local default model',
    )
    .option('--top-k <n>', 'candidates stage 1 retrieves', parseCountOption, 50)
    .option('--top-n <n>', 'results the reranker keeps', parseCountOption, 5)
    .option('--filter <json>', "a metadata filter for stage 1, in Pinecone's language")
    .option(
      '--calibration <file>',
      'scores as probabilities, by a calibration from twostage calibrate',
    )
    .option('--json', 'print { query, results, timings, degraded, warnings } as JSON')
    .addHelpText('after', examples)
    .action(async (question: string, flags: QueryFlags) => {
      await runQuery(question, flags, context);
    });

async function runQuery(question: string, flags: QueryFlags, context: CliContext): Promise<void> {
  const filter = flags.filter === undefined ? undefined : parseFilterFlag(flags.filter, 'query');
  const stageOne = await resolveStageOne(flags, 'query', context);
  const chosen = await chooseReranker(flags.reranker, context, flags.calibration);
  const warnings: string[] = [];
  let result: TwoStageResult;
  if (chosen.reranker === undefined) {
    context.stderr.write(`twostage: not re-ranked: ${chosen.reason}\n  → ${chosen.hint}\n`);
    const startedAt = performance.now();
    const { candidates, retrieveMs } = await runStageOne(stageOne.retriever, question, {
      topK: flags.topK,
      filter,
      signal: context.signal,
    });
    result = {
      results: candidates.slice(0, flags.topN).map((candidate, index) => ({
        id: candidate.id,
        text: candidate.text,
        metadata: candidate.metadata ?? {},
        rerankScore: null,
        retrieveScore: candidate.score,
        retrieveRank: index + 1,
      })),
      timings: { retrieveMs, rerankMs: 0, totalMs: performance.now() - startedAt },
      servedBy: {
        retriever: `${stageOne.retriever.provider}:${stageOne.retriever.modelId}`,
        reranker: null,
      },
      degraded: true,
      warnings: [],
    };
    warnings.push(`not re-ranked: ${chosen.reason}`);
  } else {
    const pipeline = createPipeline({
      retriever: stageOne.retriever,
      reranker: chosen.reranker,
      retrieveTopK: flags.topK,
      rerankTopN: flags.topN,
      // A reranker the user named fails loudly; the default one degrades to stage-1 order.
      onRerankError: chosen.explicit ? 'throw' : 'fallback',
      abortSignal: context.signal,
      ...(filter === undefined ? {} : { filter }),
    });
    result = await pipeline.run(question);
    if (result.degraded) {
      context.stderr.write(
        `twostage: not re-ranked: the default reranker ${chosen.label} failed.\n  → pass --reranker local-onnx:<model dir> or set TWOSTAGE_RERANKER.\n`,
      );
    }
  }
  const output: QueryOutput = {
    query: question,
    results: result.results.map((item) => ({
      id: item.id,
      text: item.text,
      metadata: item.metadata,
      rerankScore: item.rerankScore,
      retrieveScore: item.retrieveScore,
      retrieveRank: item.retrieveRank,
    })),
    timings: { ...result.timings },
    degraded: result.degraded,
    warnings: [...warnings, ...result.warnings.map(warningMessage)],
  };
  if (flags.json === true) {
    writeLine(context.stdout, JSON.stringify(output, null, 2));
    return;
  }
  context.stdout.write(
    formatQueryOutput(output, {
      stageOne: stageOne.label,
      reranker: chosen.label,
      standIn: chosen.reranker !== undefined && chosen.standIn,
      topK: flags.topK,
      width: context.stdout.columns ?? 160,
    }),
  );
}
