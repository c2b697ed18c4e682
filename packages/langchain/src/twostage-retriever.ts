/**
 * A twostage pipeline as a LangChain.js retriever.
 * @see https://js.langchain.com/docs/concepts/retrievers
 */
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import {
  createPipeline,
  InvalidArgumentError,
  type Pipeline,
  type PipelineOptions,
  type TwoStageResult,
} from '@twostage/core';

/**
 * Options of a {@link TwostageRetriever}: a pipeline's options, a hook for its results, and
 * LangChain's retriever fields (`callbacks`, `tags`, `metadata`, `verbose`) under `langchain`.
 */
export type TwostageRetrieverOptions = PipelineOptions & {
  /**
   * Called with the pipeline's whole result of each query (timings, warnings, `degraded`,
   * `servedBy`), which a LangChain retriever has no other way to hand back.
   */
  onResult?: (result: TwoStageResult) => void;
  /** LangChain's own retriever fields, passed to `BaseRetriever`. */
  langchain?: BaseRetrieverInput;
};

/** The metadata a {@link TwostageRetriever} adds to each document, under `metadata.twostage`. */
export type TwostageDocumentInfo = {
  /** The reranker's score; `null` in a degraded (stage-1 order) result. */
  rerankScore: number | null;
  /** The stage-1 score. */
  retrieveScore: number;
  /** The place in stage 1's list, from 0. */
  retrieveRank: number;
  /** The stages that answered: `servedBy` of the pipeline's result. */
  servedBy: { retriever: string; reranker: string | null };
};

/**
 * A LangChain retriever that runs a twostage pipeline: stage 1 fetches `retrieveTopK`
 * candidates, the reranker keeps the best `rerankTopN`. Use it wherever LangChain takes a
 * retriever (chains, agents' tools); with {@link fromLangChainRetriever} stage 1 can itself be a
 * LangChain vector store.
 *
 * Each result becomes a new `Document` with the result's id, text and metadata, plus
 * `metadata.relevanceScore` (the rerank score, absent in a degraded result) and
 * `metadata.twostage` ({@link TwostageDocumentInfo}). The options are `createPipeline`'s plus
 * `onResult` and `langchain`, checked when it is built.
 *
 * @example
 * const retriever = new TwostageRetriever({ retriever: memory, reranker, rerankTopN: 5 });
 * const documents = await retriever.invoke('early repayment fee');
 */
export class TwostageRetriever extends BaseRetriever {
  /** LangChain's serialisation namespace. */
  lc_namespace = ['twostage', 'retrievers'];
  /** The pipeline each query runs. */
  readonly pipeline: Pipeline;
  private readonly onResult: ((result: TwoStageResult) => void) | undefined;

  /** @throws InvalidArgumentError naming an unknown option or one with a bad value */
  constructor(options: TwostageRetrieverOptions) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        message: 'must be an object with at least a retriever and a reranker.',
      });
    }
    const { onResult, langchain, ...pipelineOptions } = options;
    if (langchain !== undefined && (langchain === null || typeof langchain !== 'object')) {
      throw new InvalidArgumentError({
        argument: 'options.langchain',
        message: 'must be an object.',
      });
    }
    super(langchain);
    if (onResult !== undefined && typeof onResult !== 'function') {
      throw new InvalidArgumentError({
        argument: 'options.onResult',
        message: 'must be a function.',
      });
    }
    this.onResult = onResult;
    // createPipeline checks every other name and value, so a new pipeline option works here too.
    this.pipeline = createPipeline(pipelineOptions);
  }

  /**
   * Runs the pipeline for `query`; LangChain's `invoke()` calls it.
   * @throws the pipeline's errors: `InvalidArgumentError` for a blank query, ...
   */
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const result = await this.pipeline.run(query);
    this.onResult?.(result);
    return result.results.map((item) => {
      const twostage: TwostageDocumentInfo = {
        rerankScore: item.rerankScore,
        retrieveScore: item.retrieveScore,
        retrieveRank: item.retrieveRank,
        servedBy: { ...result.servedBy },
      };
      return new Document({
        id: item.id,
        pageContent: item.text,
        metadata: {
          ...structuredClone(item.metadata),
          ...(item.rerankScore === null ? {} : { relevanceScore: item.rerankScore }),
          twostage,
        },
      });
    });
  }
}
