/**
 * A twostage pipeline as a LlamaIndex.TS retriever.
 * @see https://ts.llamaindex.ai/docs/llamaindex/modules/retriever
 */
import type { QueryBundle } from '@llamaindex/core/query-engine';
import { BaseRetriever } from '@llamaindex/core/retriever';
import { type NodeWithScore, TextNode } from '@llamaindex/core/schema';
import { extractText } from '@llamaindex/core/utils';
import {
  createPipeline,
  InvalidArgumentError,
  type Pipeline,
  type PipelineOptions,
  type TwoStageResult,
} from '@twostage/core';

/** Options of a {@link TwostageRetriever}: a pipeline's options, and a hook for its results. */
export type TwostageRetrieverOptions = PipelineOptions & {
  /**
   * Called with the pipeline's whole result of each query (timings, warnings, `degraded`,
   * `servedBy`, the stage-1 scores), which a LlamaIndex retriever has no other way to hand back.
   */
  onResult?: (result: TwoStageResult) => void;
};

/**
 * A LlamaIndex retriever that runs a twostage pipeline: stage 1 fetches `retrieveTopK`
 * candidates, the reranker keeps the best `rerankTopN`. Use it wherever LlamaIndex takes a
 * retriever (`RetrieverQueryEngine`, `ContextChatEngine`, tools); with
 * {@link fromLlamaIndexRetriever} stage 1 can itself be a LlamaIndex index.
 *
 * Each result becomes a new `TextNode` with the result's id, text and metadata, scored by the
 * reranker (no score in a degraded, stage-1-order result). The options are `createPipeline`'s
 * plus `onResult`, checked and copied when it is built: a misspelt name or a bad value is an
 * `InvalidArgumentError` from `createPipeline()`.
 *
 * @example
 * const retriever = new TwostageRetriever({ retriever: memory, reranker, rerankTopN: 5 });
 * const engine = new RetrieverQueryEngine(retriever);
 */
export class TwostageRetriever extends BaseRetriever {
  /** The pipeline each query runs. */
  readonly pipeline: Pipeline;
  private readonly onResult: ((result: TwoStageResult) => void) | undefined;

  /** @throws InvalidArgumentError naming an unknown option or one with a bad value */
  constructor(options: TwostageRetrieverOptions) {
    super();
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        message: 'must be an object with at least a retriever and a reranker.',
      });
    }
    const { onResult, ...pipelineOptions } = options;
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
   * Runs the pipeline for the bundle's query text; LlamaIndex's `retrieve()` calls it.
   * @throws the pipeline's errors: `InvalidArgumentError` for a query without text, ...
   */
  async _retrieve(params: QueryBundle): Promise<NodeWithScore[]> {
    const result = await this.pipeline.run(extractText(params.query));
    this.onResult?.(result);
    return result.results.map((item) => {
      const node = new TextNode({
        id_: item.id,
        text: item.text,
        metadata: structuredClone(item.metadata),
      });
      return item.rerankScore === null ? { node } : { node, score: item.rerankScore };
    });
  }
}
