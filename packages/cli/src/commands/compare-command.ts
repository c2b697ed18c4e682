import type { RerankStageV1 } from '@twostage/core';
import { Command } from 'commander';
import { type CliContext, writeLine } from '../cli-context.js';
import { CliError, usageError } from '../cli-error.js';
import { buildCompareReport, type ComparedQuery } from '../evaluation/build-compare-report.js';
import { rerankCandidates } from '../evaluation/rerank-candidates.js';
import { runStageOne } from '../evaluation/run-stage-one.js';
import { writeWarnings } from '../evaluation/write-warnings.js';
import { parseCountOption } from '../inputs/parse-count-option.js';
import { readBeirQueries } from '../inputs/read-beir-queries.js';
import { readLabeledQueries } from '../inputs/read-labeled-queries.js';
import { resolveStageOne } from '../inputs/resolve-stage-one.js';
import { formatCompareReport } from '../output/format-compare-report.js';
import { resolveCliReranker } from '../resolve-cli-reranker.js';
import type { RegisterCommand } from './register-command.js';

type CompareFlags = {
  a: string;
  b: string;
  index?: string;
  retriever?: string;
  queries: string;
  qrels?: string;
  k: number;
  topK: number;
  json?: boolean;
};

const examples = `
Examples:
  $ twostage compare --a cohere:rerank-multilingual-v3.0 --b local-onnx:cross-encoder/mmarco-mMiniLMv2-L12-H384-v1 \\
      --index ./bank-index --queries examples/bank-policies/queries.jsonl --qrels examples/bank-policies/qrels.tsv
  $ twostage compare --a mock --b local-onnx:./tuned-onnx --index ./bank-index --queries q.jsonl --json

Both rerankers order the same stage-1 candidates (all --top-k of them). Agreement: overlap@k,
Kendall's tau-b over the union of both top k, and rank-biased overlap (p = 0.9, extrapolated)
of the full orders. With --qrels, the metrics of each and their delta (B − A).`;

/** `twostage compare --a <ref> --b <ref>`: a shadow comparison of two rerankers. */
export const registerCompareCommand: RegisterCommand = (context) =>
  new Command('compare')
    .description('Compare two rerankers on the same stage-1 candidates before switching.')
    .requiredOption('--a <ref>', 'the reranker in use (e.g. cohere:rerank-multilingual-v3.0)')
    .requiredOption('--b <ref>', 'the candidate (e.g. local-onnx:<hub id or dir>)')
    .option('--index <dir>', 'an index built by twostage index')
    .option('--retriever <ref>', 'a stage-1 reference instead of --index')
    .requiredOption('--queries <file>', 'BEIR queries.jsonl')
    .option('--qrels <file>', 'BEIR qrels TSV, for metric deltas')
    .option('--k <n>', 'cutoff of overlap, tau and the metrics', parseCountOption, 5)
    .option('--top-k <n>', 'candidates stage 1 retrieves', parseCountOption, 50)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', examples)
    .action(async (flags: CompareFlags) => {
      await runCompare(flags, context);
    });

async function runCompare(flags: CompareFlags, context: CliContext): Promise<void> {
  if (flags.k > flags.topK) {
    throw usageError(`--k ${flags.k} is larger than --top-k ${flags.topK}.`, 'compare');
  }
  const labeled =
    flags.qrels === undefined
      ? undefined
      : await readLabeledQueries({ queries: flags.queries, qrels: flags.qrels }, context);
  if (labeled !== undefined) writeWarnings(labeled.warnings, context);
  const queries = labeled?.queries ?? (await readBeirQueries(flags.queries, context));
  const stageOne = await resolveStageOne(flags, 'compare', context);
  // Both references are explicit: a failure to resolve either is an error, never a fallback.
  const a = await resolveNamedReranker(flags.a, '--a', context);
  const b = await resolveNamedReranker(flags.b, '--b', context);
  const rerankerA = a.reranker;
  const rerankerB = b.reranker;
  const judgmentsById = new Map(
    (labeled?.judged ?? []).map(({ query, judgments }) => [query.id, judgments]),
  );
  const runs: ComparedQuery[] = [];
  for (const query of queries) {
    const { candidates, retrieveMs } = await runStageOne(stageOne.retriever, query.text, {
      topK: flags.topK,
      signal: context.signal,
    });
    const byA = await rerankCandidates(rerankerA, query.text, candidates, context.signal);
    const byB = await rerankCandidates(rerankerB, query.text, candidates, context.signal);
    runs.push({
      query,
      judgments: judgmentsById.get(query.id),
      stageOneIds: candidates.map((candidate) => candidate.id),
      idsA: byA.ids,
      idsB: byB.ids,
      retrieveMs,
      rerankMsA: byA.rerankMs,
      rerankMsB: byB.rerankMs,
    });
  }
  if (runs.every((run) => run.stageOneIds.length === 0)) {
    throw new CliError('Stage 1 found no candidate for any query: there is nothing to compare.', {
      hint: 'Check that the index holds the corpus the queries are about.',
    });
  }
  const report = buildCompareReport({
    k: flags.k,
    topK: flags.topK,
    stageOne: stageOne.label,
    a: { label: a.label, standIn: a.standIn },
    b: { label: b.label, standIn: b.standIn },
    totalQueries: queries.length,
    withQrels: labeled !== undefined,
    warnings: labeled?.warnings ?? [],
    runs,
  });
  if (flags.json === true) writeLine(context.stdout, JSON.stringify(report, null, 2));
  else context.stdout.write(formatCompareReport(report));
}

/** Resolves a reranker the user named; anything short of a usable stage is an error. */
async function resolveNamedReranker(
  ref: string,
  flag: string,
  context: CliContext,
): Promise<{ reranker: RerankStageV1; label: string; standIn: boolean }> {
  if (ref.trim() === '') throw usageError(`${flag} needs a reranker reference.`, 'compare');
  const resolved = await resolveCliReranker(ref, context);
  if (resolved.reranker === undefined) {
    throw new CliError(`${flag} ${ref}: ${resolved.reason}`, { hint: resolved.hint });
  }
  return resolved;
}
