import { fileURLToPath } from 'node:url';
import {
  createPipeline,
  type Pipeline,
  type RerankStageV1,
  type RetrieveStageV1,
  resolveReranker,
  resolveRetriever,
} from '@twostage/core';

/**
 * This example's folder: provider packages are resolved from here (where they are declared), and
 * so are relative paths in references, e.g. `memory:./corpus.jsonl`.
 */
export const exampleDirectory = fileURLToPath(new URL('.', import.meta.url));

/** A pipeline whose two stages came from configuration, with their names for the output. */
export type SwapPipeline = {
  pipeline: Pipeline;
  retriever: RetrieveStageV1;
  reranker: RerankStageV1;
};

/**
 * Builds the pipeline from the environment alone, so the same code runs on every deployment:
 * stage 1 from `TWOSTAGE_RETRIEVER` (`memory:./corpus.jsonl`, `bm25:<saved dir>`,
 * `pinecone:<index>` with `TWOSTAGE_EMBEDDING_MODEL`), stage 2 from `TWOSTAGE_RERANKER`
 * (`local-onnx:<hub id or dir>`, `cohere:<model>`, `pinecone:<model>`, `mock`). Keys
 * (`COHERE_API_KEY`, `PINECONE_API_KEY`) are read by the providers at their first call.
 *
 * @throws MissingSettingError naming the variable when a stage is not configured
 */
export async function createSwapPipeline(
  options: { retrieveTopK?: number; rerankTopN?: number } = {},
): Promise<SwapPipeline> {
  const retriever = await resolveRetriever(undefined, { cwd: exampleDirectory });
  const reranker = await resolveReranker(undefined, { cwd: exampleDirectory });
  const pipeline = createPipeline({
    retriever,
    reranker,
    retrieveTopK: options.retrieveTopK ?? 50,
    rerankTopN: options.rerankTopN ?? 5,
  });
  return { pipeline, retriever, reranker };
}
