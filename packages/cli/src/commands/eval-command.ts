import { Command } from 'commander';
import { type CliContext, writeLine } from '../cli-context.js';
import { CliError, usageError } from '../cli-error.js';
import {
  buildEvalReport,
  type EvaluatedQuery,
  type ReportReranker,
} from '../evaluation/build-eval-report.js';
import { rerankCandidates } from '../evaluation/rerank-candidates.js';
import { runStageOne } from '../evaluation/run-stage-one.js';
import { writeWarnings } from '../evaluation/write-warnings.js';
import { chooseReranker } from '../inputs/choose-reranker.js';
import { parseCountOption } from '../inputs/parse-count-option.js';
import { readLabeledQueries } from '../inputs/read-labeled-queries.js';
import { resolveStageOne } from '../inputs/resolve-stage-one.js';
import { formatEvalReport } from '../output/format-eval-report.js';
import type { RegisterCommand } from './register-command.js';

type EvalFlags = {
  index?: string;
  retriever?: string;
  reranker?: string;
  calibration?: string;
  queries: string;
  qrels: string;
  k: number;
  topK: number;
  json?: boolean;
};

const examples = `
Examples:
  $ twostage eval --index ./bank-index --queries examples/bank-policies/queries.jsonl --qrels examples/bank-policies/qrels.tsv
  $ twostage eval --index ./bank-index --queries q.jsonl --qrels qrels.tsv --k 10 --top-k 100
  $ twostage eval --index ./bank-index --queries q.jsonl --qrels qrels.tsv --reranker local-onnx:./tuned-onnx --json

Inputs are BEIR files: queries.jsonl ({"_id", "text"} per line) and a qrels TSV with the header
"query-id corpus-id score" (graded: 0 = not relevant, higher = more relevant). Queries without a
relevant judgment are skipped and counted. nDCG uses linear gains and a log2 discount, as
trec_eval's ndcg_cut; MRR@k and hit-rate@k count any grade > 0 as relevant.`;

/** `twostage eval`: stage-1 and re-ranked metrics on labeled queries, side by side. */
export const registerEvalCommand: RegisterCommand = (context) =>
  new Command('eval')
    .description('Measure stage 1 and the re-ranked order on labeled queries (BEIR files).')
    .option('--index <dir>', 'an index built by twostage index')
    .option('--retriever <ref>', 'a stage-1 reference instead of --index')
    .option(
      '--reranker <ref>',
      'the reranker; default: TWOSTAGE_RERANKER, else the local default model',
    )
    .requiredOption('--queries <file>', 'BEIR queries.jsonl')
    .requiredOption('--qrels <file>', 'BEIR qrels TSV (query-id, corpus-id, score; with a header)')
    .option('--k <n>', 'cutoff of precision, recall, nDCG, MRR and hit rate', parseCountOption, 5)
    .option(
      '--top-k <n>',
      'candidates stage 1 retrieves (stage-1 recall is measured here)',
      parseCountOption,
      50,
    )
    .option(
      '--calibration <file>',
      'scores as probabilities, by a calibration from twostage calibrate',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText('after', examples)
    .action(async (flags: EvalFlags) => {
      await runEval(flags, context);
    });

async function runEval(flags: EvalFlags, context: CliContext): Promise<void> {
  if (flags.k > flags.topK) {
    throw usageError(
      `--k ${flags.k} is larger than --top-k ${flags.topK}; k must be ≤ the candidates.`,
      'eval',
    );
  }
  const labeled = await readLabeledQueries(flags, context);
  writeWarnings(labeled.warnings, context);
  if (labeled.judged.length === 0) {
    throw new CliError(`No query of ${flags.queries} has a relevant judgment in ${flags.qrels}.`, {
      hint: 'Check that the qrels query ids match the "_id" fields of the queries file.',
    });
  }
  const stageOne = await resolveStageOne(flags, 'eval', context);
  const chosen = await chooseReranker(flags.reranker, context, flags.calibration);
  let reranker: ReportReranker =
    chosen.reranker === undefined
      ? { label: chosen.label, available: false, reason: chosen.reason, hint: chosen.hint }
      : { label: chosen.label, standIn: chosen.standIn, available: true };
  if (!reranker.available) {
    context.stderr.write(`twostage: not re-ranked: ${reranker.reason}\n  → ${reranker.hint}\n`);
  }
  const runs: EvaluatedQuery[] = [];
  for (const { query, judgments } of labeled.judged) {
    const { candidates, retrieveMs } = await runStageOne(stageOne.retriever, query.text, {
      topK: flags.topK,
      signal: context.signal,
    });
    const run: EvaluatedQuery = {
      query,
      judgments,
      stageOneIds: candidates.map((candidate) => candidate.id),
      rerankedIds: null,
      retrieveMs,
      rerankMs: null,
    };
    if (chosen.reranker !== undefined && reranker.available) {
      try {
        const reranked = await rerankCandidates(
          chosen.reranker,
          query.text,
          candidates,
          context.signal,
        );
        run.rerankedIds = reranked.ids;
        run.rerankMs = reranked.rerankMs;
      } catch (error) {
        if (chosen.explicit || context.signal.aborted) throw error;
        // The default model failed at its first use: report stage 1 alone, as when it is missing.
        const reason = `the default reranker ${chosen.label} failed: ${(error as Error).message}`;
        const hint = 'pass --reranker local-onnx:<model dir> or set TWOSTAGE_RERANKER.';
        reranker = { label: chosen.label, available: false, reason, hint };
        context.stderr.write(`twostage: not re-ranked: ${reason}\n  → ${hint}\n`);
        for (const earlier of runs) {
          earlier.rerankedIds = null;
          earlier.rerankMs = null;
        }
      }
    }
    runs.push(run);
  }
  const report = buildEvalReport({
    k: flags.k,
    topK: flags.topK,
    stageOne: stageOne.label,
    reranker,
    totalQueries: labeled.queries.length,
    skippedWithoutJudgments: labeled.skippedWithoutJudgments,
    qrelsUnknownQueryIds: labeled.unknownQueryIds.length,
    warnings: labeled.warnings,
    runs,
  });
  if (flags.json === true) writeLine(context.stdout, JSON.stringify(report, null, 2));
  else context.stdout.write(formatEvalReport(report));
}
