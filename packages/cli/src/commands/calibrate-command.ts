import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  applyCalibration,
  brierScore,
  type CalibrationMethod,
  calibrate,
  expectedCalibrationError,
} from '@twostage/core';
import { Command, InvalidArgumentError as CommanderArgumentError } from 'commander';
import { type CliContext, writeLine } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { rerankCandidates } from '../evaluation/rerank-candidates.js';
import { runStageOne } from '../evaluation/run-stage-one.js';
import { writeWarnings } from '../evaluation/write-warnings.js';
import { chooseReranker } from '../inputs/choose-reranker.js';
import { parseCountOption } from '../inputs/parse-count-option.js';
import { readLabeledQueries } from '../inputs/read-labeled-queries.js';
import { resolveStageOne } from '../inputs/resolve-stage-one.js';
import type { RegisterCommand } from './register-command.js';

type CalibrateFlags = {
  index?: string;
  retriever?: string;
  reranker?: string;
  queries: string;
  qrels: string;
  out: string;
  method: CalibrationMethod;
  topK: number;
  json?: boolean;
};

const examples = `
Examples:
  $ twostage calibrate --index ./bank-index --queries examples/bank-policies/queries.jsonl \\
      --qrels examples/bank-policies/qrels.tsv --out calibration.json
  $ twostage calibrate --index ./bank-index --queries q.jsonl --qrels qrels.tsv \\
      --reranker cohere:rerank-multilingual-v3.0 --method isotonic --out cohere-calibration.json
  $ twostage query "card fees" --index ./bank-index --calibration calibration.json

Every stage-1 candidate of every judged query is one labelled pair (relevant when its qrels
grade is above 0). The report shows expected calibration error and Brier score of the raw scores
(a logit read through the sigmoid) and of the calibrated ones, on the same pairs.`;

function parseMethod(value: string): CalibrationMethod {
  if (value !== 'platt' && value !== 'isotonic') {
    throw new CommanderArgumentError("expected 'platt' or 'isotonic'.");
  }
  return value;
}

/** `twostage calibrate`: fit a reranker's scores to probabilities on labelled queries. */
export const registerCalibrateCommand: RegisterCommand = (context) =>
  new Command('calibrate')
    .description("Fit the reranker's raw scores to probabilities of relevance on labelled queries.")
    .option('--index <dir>', 'an index built by twostage index')
    .option('--retriever <ref>', 'a stage-1 reference instead of --index')
    .requiredOption('--queries <file>', 'BEIR queries.jsonl')
    .requiredOption('--qrels <file>', 'BEIR qrels TSV (query-id, corpus-id, score; with a header)')
    .requiredOption('--out <file>', 'where to write the calibration (JSON)')
    .option(
      '--reranker <ref>',
      'the reranker to calibrate; default: TWOSTAGE_RERANKER, else the local default model',
    )
    .option('--method <method>', 'platt or isotonic', parseMethod, 'platt')
    .option('--top-k <n>', 'stage-1 candidates per query (the pairs)', parseCountOption, 50)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', examples)
    .action(async (flags: CalibrateFlags) => {
      await runCalibrate(flags, context);
    });

async function runCalibrate(flags: CalibrateFlags, context: CliContext): Promise<void> {
  const labeled = await readLabeledQueries(flags, context);
  writeWarnings(labeled.warnings, context);
  if (labeled.judged.length === 0) {
    throw new CliError(`No query of ${flags.queries} has a relevant judgment in ${flags.qrels}.`, {
      hint: 'Check that the qrels query ids match the "_id" fields of the queries file.',
    });
  }
  const stageOne = await resolveStageOne(flags, 'calibrate', context);
  const chosen = await chooseReranker(flags.reranker, context);
  if (chosen.reranker === undefined) {
    throw new CliError(`There is no reranker to calibrate: ${chosen.reason}`, {
      hint: chosen.hint,
    });
  }
  const reranker = chosen.reranker;
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (const { query, judgments } of labeled.judged) {
    const { candidates } = await runStageOne(stageOne.retriever, query.text, {
      topK: flags.topK,
      signal: context.signal,
    });
    const run = await rerankCandidates(reranker, query.text, candidates, context.signal);
    for (const id of run.ids) {
      scores.push(run.scores.get(id) as number);
      labels.push((judgments[id] ?? 0) > 0 ? 1 : 0);
    }
  }
  const calibration = calibrate({
    scores,
    labels,
    method: flags.method,
    provider: reranker.provider,
    modelId: reranker.modelId,
  });
  // Raw scores that are not probabilities are read through the sigmoid, as a logit would be.
  const rawProbabilities =
    reranker.scoreKind === 'probability'
      ? scores
      : scores.map((score) => 1 / (1 + Math.exp(-score)));
  const calibrated = scores.map((score) => applyCalibration(calibration, score));
  const report = {
    reranker: chosen.label,
    method: flags.method,
    pairs: scores.length,
    relevant: calibration.fittedOn.relevant,
    before: {
      ece: expectedCalibrationError(rawProbabilities, labels),
      brier: brierScore(rawProbabilities, labels),
    },
    after: {
      ece: expectedCalibrationError(calibrated, labels),
      brier: brierScore(calibrated, labels),
    },
    out: flags.out,
  };
  const target = resolve(context.cwd, flags.out);
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.partial`, `${JSON.stringify(calibration, null, 2)}\n`);
    await rename(`${target}.partial`, target);
  } catch (error) {
    throw new CliError(`--out '${flags.out}' cannot be written: ${(error as Error).message}`, {
      hint: 'Choose a path in a directory you can write to.',
      cause: error,
    });
  }
  if (flags.json === true) {
    writeLine(context.stdout, JSON.stringify(report));
    return;
  }
  const figure = (value: number) => value.toFixed(4);
  writeLine(
    context.stdout,
    `Calibrated ${report.reranker} (${flags.method}) on ${report.pairs} pairs, ${report.relevant} relevant.`,
  );
  writeLine(context.stdout, '');
  writeLine(context.stdout, '                       raw     calibrated');
  writeLine(
    context.stdout,
    `  expected cal. error   ${figure(report.before.ece)}  ${figure(report.after.ece)}`,
  );
  writeLine(
    context.stdout,
    `  Brier score           ${figure(report.before.brier)}  ${figure(report.after.brier)}`,
  );
  writeLine(context.stdout, '');
  writeLine(
    context.stdout,
    `Wrote ${flags.out}. Measured on the pairs it was fitted on: check it on held-out queries with twostage eval --calibration ${flags.out}.`,
  );
}
