import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { type CliContext, writeLine } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTrainingPairs, pairsFormatOf } from '../evaluation/format-training-pairs.js';
import { mineTrainingPairs, type TrainingPair } from '../evaluation/mine-training-pairs.js';
import { runStageOne } from '../evaluation/run-stage-one.js';
import { writeWarnings } from '../evaluation/write-warnings.js';
import { parseCountOption } from '../inputs/parse-count-option.js';
import { readLabeledQueries } from '../inputs/read-labeled-queries.js';
import { resolveStageOne } from '../inputs/resolve-stage-one.js';
import type { RegisterCommand } from './register-command.js';

type PairsExportFlags = {
  index: string;
  queries: string;
  qrels: string;
  out: string;
  negativesPerQuery: number;
  topK: number;
};

const examples = `
Examples:
  $ twostage pairs export --index ./bank-index --queries examples/bank-policies/queries.jsonl \\
      --qrels examples/bank-policies/qrels.tsv --out pairs.jsonl
  $ twostage pairs export --index ./bank-index --queries q.jsonl --qrels qrels.tsv --out pairs.csv --negatives-per-query 8

Each judged-relevant document (grade > 0) becomes a pair labelled 1; the best-ranked stage-1
candidates not judged relevant become hard negatives labelled 0. Columns: query, passage, label
(.jsonl, .csv or .tsv by the --out extension). In Python:
  from datasets import load_dataset
  train_dataset = load_dataset("json", data_files="pairs.jsonl", split="train")
then CrossEncoderTrainer with BinaryCrossEntropyLoss; see docs/fine-tuning.md.`;

/** `twostage pairs export`: labeled (query, passage, label) pairs for cross-encoder training. */
export const registerPairsCommand: RegisterCommand = (context) => {
  const pairs = new Command('pairs')
    .description('Training pairs for fine-tuning a cross-encoder on your labeled queries.')
    .addHelpText(
      'after',
      `
Examples:
  $ twostage pairs export --index ./bank-index --queries queries.jsonl --qrels qrels.tsv --out pairs.jsonl

The fine-tune → ONNX export → eval loop: docs/fine-tuning.md.`,
    );
  const exportCommand = new Command('export')
    .description('Write (query, passage, label) pairs with hard negatives mined from stage 1.')
    .requiredOption('--index <dir>', 'an index built by twostage index (holds the passages)')
    .requiredOption('--queries <file>', 'BEIR queries.jsonl')
    .requiredOption('--qrels <file>', 'BEIR qrels TSV (query-id, corpus-id, score; with a header)')
    .requiredOption('--out <file>', 'where to write the pairs (.jsonl, .csv or .tsv)')
    .option('--negatives-per-query <n>', 'hard negatives per query', parseCountOption, 4)
    .option('--top-k <n>', 'stage-1 candidates to mine negatives from', parseCountOption, 50)
    .addHelpText('after', examples)
    .action(async (flags: PairsExportFlags) => {
      await runPairsExport(flags, context);
    });
  // A nested command reports usage errors like the top-level ones (exit code 2, own streams).
  exportCommand.exitOverride().showHelpAfterError('(add --help for usage)');
  exportCommand.configureOutput({
    writeOut: (text) => context.stdout.write(text),
    writeErr: (text) => context.stderr.write(text),
  });
  return pairs.addCommand(exportCommand);
};

async function runPairsExport(flags: PairsExportFlags, context: CliContext): Promise<void> {
  const labeled = await readLabeledQueries(flags, context);
  writeWarnings(labeled.warnings, context);
  if (labeled.judged.length === 0) {
    throw new CliError(`No query of ${flags.queries} has a relevant judgment in ${flags.qrels}.`, {
      hint: 'Check that the qrels query ids match the "_id" fields of the queries file.',
    });
  }
  const stageOne = await resolveStageOne({ index: flags.index }, 'pairs export', context);
  const lookup = stageOne.get ?? (() => undefined);
  const pairs: TrainingPair[] = [];
  const missing: string[] = [];
  let positives = 0;
  for (const { query, judgments } of labeled.judged) {
    const { candidates } = await runStageOne(stageOne.retriever, query.text, {
      topK: flags.topK,
      signal: context.signal,
    });
    const mined = mineTrainingPairs({
      query: query.text,
      judgments,
      candidates,
      negativesPerQuery: flags.negativesPerQuery,
      lookup,
    });
    positives += mined.pairs.filter((pair) => pair.label === 1).length;
    pairs.push(...mined.pairs);
    missing.push(...mined.missing);
  }
  if (missing.length > 0) {
    const warning = `${missing.length} judged-relevant id(s) are not in the index, so they have no passage: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}.`;
    writeWarnings([warning], context);
  }
  // Written beside the target and renamed, so an interrupted export leaves no half file.
  const target = resolve(context.cwd, flags.out);
  const partial = `${target}.partial`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(partial, formatTrainingPairs(pairs, pairsFormatOf(target)));
    await rename(partial, target);
  } catch (error) {
    throw new CliError(`--out '${flags.out}' cannot be written: ${(error as Error).message}`, {
      hint: 'Choose a path in a directory you can write to.',
      cause: error,
    });
  }
  writeLine(
    context.stdout,
    `Wrote ${pairs.length} pairs (${positives} relevant, ${pairs.length - positives} hard negatives) for ${labeled.judged.length} queries to ${flags.out}` +
      (labeled.skippedWithoutJudgments > 0
        ? ` (${labeled.skippedWithoutJudgments} queries skipped: no relevant judgment).`
        : '.'),
  );
}
