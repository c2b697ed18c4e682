import { Command, InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import { type CliContext, writeLine } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import type { ChunkUnit } from '../indexing/chunk-text.js';
import { type ChunkingSettings, defaultChunking } from '../indexing/chunking-settings.js';
import type { ProgressMode } from '../indexing/index-progress.js';
import { supportedExtensions } from '../indexing/source-kind.js';
import { type IndexUpdateSummary, updateIndex } from '../indexing/update-index.js';
import type { RegisterCommand } from './register-command.js';

type IndexFlags = {
  out: string;
  chunkUnit?: ChunkUnit;
  chunkSize?: number;
  chunkOverlap?: number;
  embeddingModel?: string;
  progress: ProgressMode;
};

const examples = `
Examples:
  $ twostage index docs/ --out .twostage/docs
  $ twostage index examples/bank-policies/corpus.jsonl --out bank-index
  $ twostage index handbook.pdf faq.html notes/ --out idx --chunk-size 300 --chunk-overlap 60
  $ twostage index docs/ --out idx --embedding-model local-onnx:Xenova/multilingual-e5-small
  $ TWOSTAGE_EMBEDDING_MODEL=cohere:embed-multilingual-v3.0 twostage index docs/ --out idx

Files: ${supportedExtensions}. Folders are searched recursively; other files and hidden entries
are skipped. Text is cut into chunks of about 200 word tokens overlapping by 40, at sentence
boundaries (--chunk-unit chars: 1,000 characters, overlap 200); each chunk's id is
'<path>#<chunk number>', its metadata holds source, chunk, start, end and title. A JSON Lines
corpus ({ _id | id, title?, text, metadata? } a line, BEIR's corpus.jsonl as it is) keeps one
document per record under the record's own id, so qrels refer to it; the title is indexed with
the text. With an embedding model the index is hybrid (BM25 + vectors fused), else BM25 only.

Running it again re-reads only changed files (by content hash), drops the chunks of files that
no longer exist, and leaves the previous index intact until the new one is saved: Ctrl-C
changes nothing.`;

/** `twostage index <path...> --out <dir>`: builds or updates an index from files. */
export const registerIndexCommand: RegisterCommand = (context) =>
  new Command('index')
    .description('Index Markdown, text, HTML, PDF and JSON Lines files into an index directory.')
    .argument('<path...>', 'files and folders to index')
    .requiredOption('--out <dir>', 'the index directory (created; updated when it holds an index)')
    .addOption(
      new Option('--chunk-unit <unit>', 'measure chunks in word tokens or in characters').choices([
        'tokens',
        'chars',
      ]),
    )
    .option(
      '--chunk-size <n>',
      'the most a chunk holds (default 200 tokens / 1000 chars)',
      positiveInteger,
    )
    .option(
      '--chunk-overlap <n>',
      'how much of a chunk the next repeats (default 40 / 200)',
      nonNegativeInteger,
    )
    .option(
      '--embedding-model <ref>',
      "embed chunks too, for a hybrid index ('none': BM25 only; default: TWOSTAGE_EMBEDDING_MODEL, else the index's model)",
    )
    .addOption(
      new Option(
        '--progress <mode>',
        'a bar on a terminal (auto), a line per tenth (plain), or none',
      )
        .choices(['auto', 'plain', 'none'])
        .default('auto'),
    )
    .addHelpText('after', examples)
    .action(async (paths: string[], flags: IndexFlags) => {
      const summary = await updateIndex(
        {
          paths,
          out: flags.out,
          chunking: (previous) => chunkingOf(flags, previous),
          embeddingModel: embeddingModelOf(flags.embeddingModel, context),
          progress: flags.progress,
        },
        context,
      );
      report(summary, flags.out, context);
    });

/**
 * The chunking in force: flags first, then the existing index's settings (when of the same
 * unit), then the defaults of the unit.
 */
function chunkingOf(flags: IndexFlags, previous: ChunkingSettings | undefined): ChunkingSettings {
  const unit = flags.chunkUnit ?? previous?.unit ?? 'tokens';
  const base = previous?.unit === unit ? previous : defaultChunking[unit];
  const size = flags.chunkSize ?? base.size;
  const overlap = flags.chunkOverlap ?? Math.min(base.overlap, size - 1);
  if (overlap >= size) {
    throw usageError(`--chunk-overlap (${overlap}) must be below --chunk-size (${size}).`, 'index');
  }
  return { unit, size, overlap };
}

/** `--embedding-model`, else `TWOSTAGE_EMBEDDING_MODEL`; `none` means lexical only (`null`). */
function embeddingModelOf(
  flag: string | undefined,
  context: CliContext,
): string | null | undefined {
  const fromEnvironment = context.env.TWOSTAGE_EMBEDDING_MODEL?.trim();
  const ref = flag?.trim() ?? (fromEnvironment === '' ? undefined : fromEnvironment);
  if (ref === undefined) return undefined;
  if (ref === '')
    throw usageError('--embedding-model needs a provider:model reference or none.', 'index');
  return ref === 'none' ? null : ref;
}

function report(summary: IndexUpdateSummary, out: string, context: CliContext): void {
  if (summary.skipped.size > 0) {
    const total = [...summary.skipped.values()].reduce((sum, count) => sum + count, 0);
    const byExtension = [...summary.skipped]
      .map(([extension, count]) => `${extension} ${count}`)
      .join(', ');
    writeLine(
      context.stderr,
      `skipped ${total} file${total === 1 ? '' : 's'} of unsupported types (${byExtension}); indexed types: ${supportedExtensions}`,
    );
  }
  if (summary.rebuildReason !== undefined) {
    writeLine(context.stderr, `indexed every file again: ${summary.rebuildReason}`);
  }
  const engine =
    summary.engineKind === 'hybrid' ? `hybrid: bm25 + ${summary.embeddingModel ?? ''}` : 'bm25';
  const { files, chunks } = summary;
  if (summary.upToDate) {
    writeLine(
      context.stdout,
      `'${out}' is up to date (${engine}): ${files.unchanged} files unchanged, ${chunks.total} chunks.`,
    );
    return;
  }
  writeLine(
    context.stdout,
    `Indexed into '${out}' (${engine}): files ${files.added} added, ${files.updated} updated, ${files.removed} removed, ${files.unchanged} unchanged; chunks ${chunks.written} written, ${chunks.dropped} dropped, ${chunks.total} in the index.`,
  );
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new CommanderArgumentError('expected an integer ≥ 1.');
  }
  return number;
}

function nonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new CommanderArgumentError('expected an integer ≥ 0.');
  }
  return number;
}
