import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBm25Retriever } from '@twostage/embedded';
import { tinyCrossEncoder, writeSyntheticModel } from '@twostage/provider-local-onnx/testing';

/** The bank-policies example (BEIR files). */
export const bankExample = fileURLToPath(
  new URL('../../../examples/bank-policies/', import.meta.url),
);

/** A BEIR corpus line. */
export type CorpusRecord = {
  _id: string;
  title?: string;
  text: string;
  metadata?: Record<string, string>;
};

/** A fresh temporary directory and its removal. */
export async function makeTempDirectory(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'twostage-cli-eval-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Builds a BM25 index of `records` in `<directory>/engine` (the layout `openIndex` reads), with
 * the chunk metadata `twostage index` writes (`source`, `chunk`, `start`, `end`, `title`), the
 * corpus ids kept so qrels refer to them.
 */
export async function writeCorpusIndex(
  directory: string,
  records: readonly CorpusRecord[],
): Promise<void> {
  const retriever = createBm25Retriever();
  await retriever.add(
    records.map((record) => ({
      id: record._id,
      text: record.text,
      metadata: {
        ...record.metadata,
        source: 'corpus.jsonl',
        chunk: 0,
        start: 0,
        end: record.text.length,
        ...(record.title === undefined ? {} : { title: record.title }),
      },
    })),
  );
  await retriever.save(join(directory, 'engine'));
}

/** Reads the bank example's corpus. */
export async function readBankCorpus(): Promise<CorpusRecord[]> {
  const text = await readFile(join(bankExample, 'corpus.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusRecord);
}

/** Writes a tiny synthetic XLM-R cross-encoder (seeded random weights) for `local-onnx:<dir>`. */
export async function writeTinyCrossEncoder(directory: string, seed = 21): Promise<void> {
  await writeSyntheticModel(
    directory,
    tinyCrossEncoder({
      architecture: 'xlm-roberta',
      maxPositionEmbeddings: 130,
      seed,
      quantized: true,
    }),
  );
}

/** Writes lines of JSON. */
export async function writeJsonLines(path: string, values: readonly unknown[]): Promise<void> {
  await writeFile(path, values.map((value) => `${JSON.stringify(value)}\n`).join(''));
}
