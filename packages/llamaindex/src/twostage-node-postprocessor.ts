/**
 * A twostage reranker as a LlamaIndex.TS node postprocessor.
 * @see https://ts.llamaindex.ai/docs/llamaindex/modules/node_postprocessors
 */
import type { MessageContent } from '@llamaindex/core/llms';
import type { BaseNodePostprocessor } from '@llamaindex/core/postprocessor';
import { MetadataMode, type NodeWithScore } from '@llamaindex/core/schema';
import { extractText } from '@llamaindex/core/utils';
import {
  type HeadersV1,
  InvalidArgumentError,
  type ProviderOptionsV1,
  type RerankResult,
  type RerankStageV1,
  rerank,
} from '@twostage/core';
import { checkOptionNames, validateInteger } from '@twostage/core/provider-utils';
import { checkMetadataMode } from './check-metadata-mode.js';

/** Options of a {@link TwostageNodePostprocessor}; each is checked when it is built. */
export type TwostageNodePostprocessorOptions = {
  /** The rerank stage: Cohere, a local cross-encoder, Pinecone, a mock... */
  reranker: RerankStageV1;
  /**
   * How many of the best nodes to keep; an integer ≥ 1.
   * @default every node
   */
  topN?: number;
  /**
   * Drops nodes whose rerank score is below this. Its meaning follows the reranker's
   * `scoreKind`: a `probability` threshold carries across models, a `logit` one does not.
   * @default no threshold
   */
  minScore?: number;
  /**
   * How a node's text is read for the reranker (`node.getContent(metadataMode)`). `ALL` puts
   * the metadata lines before the text, as LlamaIndex's `CohereRerank` sends them.
   * @default MetadataMode.ALL
   */
  metadataMode?: MetadataMode;
  /** Retries of each reranker call after a retryable failure. @default 2 */
  maxRetries?: number;
  /** The most reranker calls in flight when the nodes span several windows. @default 4 */
  maxConcurrency?: number;
  /**
   * The deadline of one `postprocessNodes` call, retries included; `Infinity` for none.
   * @default 60000
   */
  timeoutMs?: number;
  /** Extra HTTP headers for rerankers that speak HTTP. */
  headers?: HeadersV1;
  /** Provider-specific options, keyed by provider name. */
  providerOptions?: ProviderOptionsV1;
  /**
   * Called with core's whole result of each call (warnings, usage, timings, `servedBy`), which a
   * postprocessor has no other way to hand back.
   */
  onResult?: (result: RerankResult<string>) => void;
};

const optionNames = [
  'reranker',
  'topN',
  'minScore',
  'metadataMode',
  'maxRetries',
  'maxConcurrency',
  'timeoutMs',
  'headers',
  'providerOptions',
  'onResult',
] as const satisfies readonly (keyof TwostageNodePostprocessorOptions)[];

/**
 * Re-ranks LlamaIndex nodes with a twostage reranker, for `RetrieverQueryEngine`, chat engines
 * and anything else that takes a `BaseNodePostprocessor`. Each call runs core's `rerank()`, so
 * the reranker's `maxDocumentsPerCall` is windowed, retryable failures are retried and the call
 * has a deadline.
 *
 * It returns new `NodeWithScore` objects, best first, each holding the caller's node (not a
 * copy) and the rerank score; the input array and its entries are never changed, and the
 * stage-1 score is not blended in.
 *
 * @example
 * const engine = new RetrieverQueryEngine(index.asRetriever({ similarityTopK: 50 }), undefined, [
 *   new TwostageNodePostprocessor({ reranker: cohere.reranker('rerank-v3.5'), topN: 5 }),
 * ]);
 */
export class TwostageNodePostprocessor implements BaseNodePostprocessor {
  /** The rerank stage every call uses. */
  readonly reranker: RerankStageV1;
  /** How many nodes a call keeps at most; `undefined` for all. */
  readonly topN: number | undefined;
  /** The lowest rerank score kept; `undefined` for no threshold. */
  readonly minScore: number | undefined;
  /** How a node's text is read for the reranker. */
  readonly metadataMode: MetadataMode;
  private readonly options: Omit<
    TwostageNodePostprocessorOptions,
    'reranker' | 'topN' | 'minScore' | 'metadataMode' | 'onResult'
  >;
  private readonly onResult: ((result: RerankResult<string>) => void) | undefined;

  /** @throws InvalidArgumentError naming an unknown option or one with a bad value */
  constructor(options: TwostageNodePostprocessorOptions) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        message: 'must be an object with at least a reranker.',
      });
    }
    checkOptionNames(options, optionNames, 'new TwostageNodePostprocessor()', 'options');
    const { reranker, topN, minScore, maxRetries, maxConcurrency, timeoutMs, onResult } = options;
    if (
      reranker === null ||
      typeof reranker !== 'object' ||
      typeof (reranker as { doRerank?: unknown }).doRerank !== 'function'
    ) {
      throw new InvalidArgumentError({
        argument: 'options.reranker',
        message: 'must be a twostage rerank stage (an object with doRerank).',
      });
    }
    this.reranker = reranker;
    this.topN = topN === undefined ? undefined : validateInteger(topN, 'options.topN', { min: 1 });
    if (minScore !== undefined && (typeof minScore !== 'number' || !Number.isFinite(minScore))) {
      throw new InvalidArgumentError({
        argument: 'options.minScore',
        message: `must be a finite number, got ${String(minScore)}.`,
      });
    }
    this.minScore = minScore;
    this.metadataMode = checkMetadataMode(
      options.metadataMode,
      MetadataMode.ALL,
      'options.metadataMode',
    );
    if (maxRetries !== undefined) validateInteger(maxRetries, 'options.maxRetries', { min: 0 });
    if (maxConcurrency !== undefined) {
      validateInteger(maxConcurrency, 'options.maxConcurrency', { min: 1, allowInfinity: true });
    }
    if (
      timeoutMs !== undefined &&
      !(typeof timeoutMs === 'number' && timeoutMs > 0 && !Number.isNaN(timeoutMs))
    ) {
      throw new InvalidArgumentError({
        argument: 'options.timeoutMs',
        message: `must be a positive number of milliseconds (or Infinity), got ${String(timeoutMs)}.`,
      });
    }
    if (onResult !== undefined && typeof onResult !== 'function') {
      throw new InvalidArgumentError({
        argument: 'options.onResult',
        message: 'must be a function.',
      });
    }
    this.onResult = onResult;
    this.options = {};
    if (maxRetries !== undefined) this.options.maxRetries = maxRetries;
    if (maxConcurrency !== undefined) this.options.maxConcurrency = maxConcurrency;
    if (timeoutMs !== undefined) this.options.timeoutMs = timeoutMs;
    if (options.headers !== undefined) this.options.headers = options.headers;
    if (options.providerOptions !== undefined) {
      this.options.providerOptions = options.providerOptions;
    }
  }

  /**
   * Re-ranks `nodes` against `query` and returns the best, as new `NodeWithScore` objects
   * sorted by rerank score (ties keep the input order). No nodes gives `[]` without a call.
   *
   * @param nodes - the retrieved nodes; never modified
   * @param query - the query; a string, or a message's content parts (their text is used)
   * @throws InvalidArgumentError when `query` is missing or has no text, or a node has no content
   * @throws the errors of core's `rerank()`: `AbortedError`, `TimeoutError`, `RetryError`, ...
   */
  async postprocessNodes(nodes: NodeWithScore[], query?: MessageContent): Promise<NodeWithScore[]> {
    if (!Array.isArray(nodes)) {
      throw new InvalidArgumentError({
        argument: 'nodes',
        message: `must be an array of NodeWithScore, got ${typeof nodes}.`,
      });
    }
    const text = queryText(query);
    if (nodes.length === 0) return [];
    const documents = nodes.map((entry, index) => nodeText(entry, index, this.metadataMode));
    const result = await rerank({
      ...this.options,
      model: this.reranker,
      query: text,
      documents,
      ...(this.topN === undefined ? {} : { topN: this.topN }),
    });
    this.onResult?.(result);
    const reranked: NodeWithScore[] = [];
    for (const { index, score } of result.ranking) {
      if (this.minScore !== undefined && score < this.minScore) continue;
      // The caller's node itself: a postprocessor passes nodes on, it does not re-create them.
      reranked.push({ node: (nodes[index] as NodeWithScore).node, score });
    }
    return reranked;
  }
}

function queryText(query: MessageContent | undefined): string {
  if (query === undefined) {
    throw new InvalidArgumentError({
      argument: 'query',
      message:
        'is required: a reranker scores each node against the query (RetrieverQueryEngine passes it; call postprocessNodes(nodes, query) when you call it yourself).',
    });
  }
  if (typeof query !== 'string' && !Array.isArray(query)) {
    throw new InvalidArgumentError({
      argument: 'query',
      message: `must be a string or MessageContentDetail[], got ${query === null ? 'null' : typeof query}.`,
    });
  }
  const text = extractText(query);
  if (text.trim() === '') {
    throw new InvalidArgumentError({
      argument: 'query',
      message: 'has no text to re-rank against (an empty string, or only image parts).',
    });
  }
  return text;
}

function nodeText(entry: NodeWithScore, index: number, metadataMode: MetadataMode): string {
  const node = (entry as Partial<NodeWithScore> | null)?.node;
  if (node === null || typeof node !== 'object' || typeof node.getContent !== 'function') {
    throw new InvalidArgumentError({
      argument: `nodes[${index}]`,
      message: 'must be a NodeWithScore ({ node, score? }) whose node has getContent().',
    });
  }
  return node.getContent(metadataMode);
}
