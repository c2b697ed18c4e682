/**
 * A twostage reranker as a LangChain.js document compressor.
 * @see https://js.langchain.com/docs/how_to/contextual_compression
 */
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { BaseDocumentCompressor } from '@langchain/core/retrievers/document_compressors';
import {
  type HeadersV1,
  InvalidArgumentError,
  type ProviderOptionsV1,
  type RerankResult,
  type RerankStageV1,
  rerank,
} from '@twostage/core';
import { checkOptionNames, validateInteger } from '@twostage/core/provider-utils';

/** Options of a {@link TwostageDocumentCompressor}; each is checked when it is built. */
export type TwostageDocumentCompressorOptions = {
  /** The rerank stage: Cohere, a local cross-encoder, Pinecone, a mock... */
  reranker: RerankStageV1;
  /**
   * How many of the best documents to keep; an integer ≥ 1.
   * @default every document
   */
  topN?: number;
  /**
   * Drops documents whose rerank score is below this. Its meaning follows the reranker's
   * `scoreKind`: a `probability` threshold carries across models, a `logit` one does not.
   * @default no threshold
   */
  minScore?: number;
  /** Retries of each reranker call after a retryable failure. @default 2 */
  maxRetries?: number;
  /** The most reranker calls in flight when the documents span several windows. @default 4 */
  maxConcurrency?: number;
  /**
   * The deadline of one `compressDocuments` call, retries included; `Infinity` for none.
   * @default 60000
   */
  timeoutMs?: number;
  /** Extra HTTP headers for rerankers that speak HTTP. */
  headers?: HeadersV1;
  /** Provider-specific options, keyed by provider name. */
  providerOptions?: ProviderOptionsV1;
  /**
   * Called with core's whole result of each call (warnings, usage, timings, `servedBy`), which a
   * compressor has no other way to hand back.
   */
  onResult?: (result: RerankResult<string>) => void;
};

const optionNames = [
  'reranker',
  'topN',
  'minScore',
  'maxRetries',
  'maxConcurrency',
  'timeoutMs',
  'headers',
  'providerOptions',
  'onResult',
] as const satisfies readonly (keyof TwostageDocumentCompressorOptions)[];

/**
 * Re-ranks LangChain documents with a twostage reranker, for `ContextualCompressionRetriever`
 * (`@langchain/classic/retrievers/contextual_compression`) and anything else that takes a
 * `BaseDocumentCompressor`. Each call runs core's `rerank()`, so the reranker's
 * `maxDocumentsPerCall` is windowed, retryable failures are retried and the call has a deadline.
 *
 * It returns new `Document` objects, best first, each a copy of the caller's (same `pageContent`
 * and `id`, a shallow copy of `metadata`) with the rerank score in `metadata.relevanceScore`, as
 * LangChain's `CohereRerank` names it. Unlike `CohereRerank`, the caller's documents are never
 * changed.
 *
 * @example
 * const retriever = new ContextualCompressionRetriever({
 *   baseCompressor: new TwostageDocumentCompressor({ reranker, topN: 5 }),
 *   baseRetriever: vectorStore.asRetriever(50),
 * });
 */
export class TwostageDocumentCompressor extends BaseDocumentCompressor {
  /** The rerank stage every call uses. */
  readonly reranker: RerankStageV1;
  /** How many documents a call keeps at most; `undefined` for all. */
  readonly topN: number | undefined;
  /** The lowest rerank score kept; `undefined` for no threshold. */
  readonly minScore: number | undefined;
  private readonly options: Pick<
    TwostageDocumentCompressorOptions,
    'maxRetries' | 'maxConcurrency' | 'timeoutMs' | 'headers' | 'providerOptions'
  >;
  private readonly onResult: ((result: RerankResult<string>) => void) | undefined;

  /** @throws InvalidArgumentError naming an unknown option or one with a bad value */
  constructor(options: TwostageDocumentCompressorOptions) {
    super();
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        message: 'must be an object with at least a reranker.',
      });
    }
    checkOptionNames(options, optionNames, 'new TwostageDocumentCompressor()', 'options');
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
   * Re-ranks `documents` against `query` and returns the best as new `Document`s sorted by rerank
   * score (ties keep the input order), each with `metadata.relevanceScore`. No documents give `[]`
   * without a call.
   *
   * @param documents - the retrieved documents; never modified
   * @param query - the query text
   * @throws InvalidArgumentError for a blank query or an entry without a string `pageContent`
   * @throws the errors of core's `rerank()`: `AbortedError`, `TimeoutError`, `RetryError`, ...
   */
  async compressDocuments(
    documents: DocumentInterface[],
    query: string,
  ): Promise<DocumentInterface[]> {
    if (!Array.isArray(documents)) {
      throw new InvalidArgumentError({
        argument: 'documents',
        message: `must be an array of Documents, got ${typeof documents}.`,
      });
    }
    if (typeof query !== 'string' || query.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'query',
        message: 'must be a non-blank string: a reranker scores each document against it.',
      });
    }
    if (documents.length === 0) return [];
    const texts = documents.map((document, index) => {
      if (
        document === null ||
        typeof document !== 'object' ||
        typeof document.pageContent !== 'string'
      ) {
        throw new InvalidArgumentError({
          argument: `documents[${index}]`,
          message: 'must be a Document with a string pageContent.',
        });
      }
      return document.pageContent;
    });
    const result = await rerank({
      ...this.options,
      model: this.reranker,
      query,
      documents: texts,
      ...(this.topN === undefined ? {} : { topN: this.topN }),
    });
    this.onResult?.(result);
    const compressed: DocumentInterface[] = [];
    for (const { index, score } of result.ranking) {
      if (this.minScore !== undefined && score < this.minScore) continue;
      const source = documents[index] as DocumentInterface;
      compressed.push(
        new Document({
          pageContent: source.pageContent,
          metadata: { ...source.metadata, relevanceScore: score },
          ...(source.id === undefined ? {} : { id: source.id }),
        }),
      );
    }
    return compressed;
  }
}
