import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createPipeline,
  type Pipeline,
  type RerankStageV1,
  type RetrieveStageV1,
  resolveReranker,
  resolveRetriever,
} from '@twostage/core';
import { createBm25Retriever } from '@twostage/embedded';

/** This example's folder: provider packages and relative references are resolved from here. */
const exampleDirectory = fileURLToPath(new URL('.', import.meta.url));

/** The bank-policies corpus (BEIR `corpus.jsonl`, English and Vietnamese), the default stage 1. */
export const bankCorpusPath = fileURLToPath(
  new URL('../bank-policies/corpus.jsonl', import.meta.url),
);

/** The app's pipeline and where its stages came from, for the start-up line. */
export type AppPipeline = { pipeline: Pipeline; retriever: string; reranker: string };

/**
 * The app's pipeline from configuration: stage 1 is `TWOSTAGE_RETRIEVER` when set, else a BM25
 * index built in memory over the bank-policies corpus; stage 2 is `TWOSTAGE_RERANKER` when set,
 * else core's `mock` (a term-overlap stand-in, not a model, so the app starts with no download
 * and no key; set `TWOSTAGE_RERANKER=local-onnx:...` or `cohere:...` for real re-ranking).
 */
export async function createAppPipeline(
  env: Readonly<Record<string, string | undefined>>,
): Promise<AppPipeline> {
  let retriever: RetrieveStageV1;
  if (env.TWOSTAGE_RETRIEVER?.trim()) {
    retriever = await resolveRetriever(env.TWOSTAGE_RETRIEVER, { cwd: exampleDirectory });
  } else {
    const bm25 = createBm25Retriever();
    await bm25.add(await readBeirCorpus(bankCorpusPath));
    retriever = bm25;
  }
  const rerankerRef = env.TWOSTAGE_RERANKER?.trim() || 'mock';
  const reranker: RerankStageV1 = await resolveReranker(rerankerRef, { cwd: exampleDirectory });
  return {
    pipeline: createPipeline({ retriever, reranker, retrieveTopK: 50, rerankTopN: 5 }),
    retriever: env.TWOSTAGE_RETRIEVER?.trim() || `bm25 over ${bankCorpusPath}`,
    reranker:
      reranker.provider === 'mock'
        ? 'mock (a term-overlap stand-in, not a model: set TWOSTAGE_RERANKER)'
        : `${reranker.provider}:${reranker.modelId}`,
  };
}

/** A BEIR corpus (`{ _id, title?, text, metadata? }` per line) as documents, title first. */
async function readBeirCorpus(path: string) {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => {
    const record = JSON.parse(line) as {
      _id: string;
      title?: string;
      text: string;
      metadata?: Record<string, string>;
    };
    return {
      id: record._id,
      text: record.title ? `${record.title}\n${record.text}` : record.text,
      metadata: record.metadata ?? {},
    };
  });
}
