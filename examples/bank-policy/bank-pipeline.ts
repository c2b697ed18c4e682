import { fileURLToPath } from 'node:url';
import {
  createPipeline,
  type DocumentMetadata,
  type Pipeline,
  type RerankStageV1,
  type RetrieveStageV1,
  resolveReranker,
  resolveRetriever,
} from '@twostage/core';
import { createBm25Retriever } from '@twostage/embedded';
import { loadJsonl } from './load-jsonl.js';

/** A policy chunk of the example corpus. */
export type PolicyDocument = { id: string; text: string; metadata: DocumentMetadata };

/** A test question with the ids of the chunks that answer it. */
export type LabelledQuery = { query: string; relevant: string[] };

/** Paths of the example's data files. */
export const corpusPath = fileURLToPath(new URL('./corpus.jsonl', import.meta.url));
export const queriesPath = fileURLToPath(new URL('./queries.jsonl', import.meta.url));

/**
 * Provider packages are resolved from this example's own folder, where they are declared, so
 * `TWOSTAGE_RERANKER=cohere:...` works whichever directory the demo is started from.
 */
const exampleDirectory = fileURLToPath(new URL('.', import.meta.url));

/** The stages a bank pipeline runs on, and where each came from (for the report). */
export type BankPipeline = {
  pipeline: Pipeline;
  retriever: RetrieveStageV1;
  reranker: RerankStageV1;
  retrieverSource: string;
  rerankerSource: string;
};

/**
 * Builds the example's pipeline from configuration alone:
 * - stage 1 is `TWOSTAGE_RETRIEVER` when set (`pinecone:<index>`, `bm25:<saved dir>`...), else an
 *   embedded BM25 index built in memory over the corpus (the default: no account anywhere);
 * - stage 2 is `TWOSTAGE_RERANKER` when set (`cohere:rerank-multilingual-v3.0`,
 *   `local-onnx:<model dir or hub id>`...), else core's `mock` reranker, a term-overlap scorer
 *   that needs no model and no network (a stand-in: it shows the flow, not cross-encoder quality).
 */
export async function createBankPipeline(
  options: {
    retrieverRef?: string;
    rerankerRef?: string;
    retrieveTopK?: number;
    rerankTopN?: number;
  } = {},
): Promise<BankPipeline> {
  const retrieverRef = options.retrieverRef ?? process.env.TWOSTAGE_RETRIEVER;
  const rerankerRef = options.rerankerRef ?? process.env.TWOSTAGE_RERANKER ?? 'mock';
  let retriever: RetrieveStageV1;
  let retrieverSource: string;
  if (retrieverRef) {
    retriever = await resolveRetriever(retrieverRef, { cwd: exampleDirectory });
    retrieverSource = retrieverRef;
  } else {
    const bm25 = createBm25Retriever({ analyzer: { stopWords: 'english' } });
    await bm25.add(await loadJsonl<PolicyDocument>(corpusPath));
    retriever = bm25;
    retrieverSource = `embedded BM25 over ${bm25.size()} chunks (default)`;
  }
  const reranker = await resolveReranker(rerankerRef, { cwd: exampleDirectory });
  const pipeline = createPipeline({
    retriever,
    reranker,
    retrieveTopK: options.retrieveTopK ?? 20,
    rerankTopN: options.rerankTopN ?? 3,
    onRerankError: 'fallback',
  });
  return {
    pipeline,
    retriever,
    reranker,
    retrieverSource,
    rerankerSource:
      rerankerRef === 'mock' ? 'mock (term overlap stand-in; set TWOSTAGE_RERANKER)' : rerankerRef,
  };
}
