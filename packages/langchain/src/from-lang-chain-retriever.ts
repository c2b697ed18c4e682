/**
 * A LangChain.js retriever or vector store as a twostage retrieve stage.
 * @see https://js.langchain.com/docs/concepts/retrievers
 */
import type { DocumentInterface } from '@langchain/core/documents';
import {
  compileFilter,
  InvalidArgumentError,
  InvalidResponseError,
  type RetrievedCandidateV1,
  type RetrieveStageV1,
  type RetrieveStageV1CallOptions,
  type RetrieveStageV1Result,
  type WarningV1,
} from '@twostage/core';
import {
  checkOptionNames,
  raceAbort,
  throwIfAborted,
  toDocumentMetadata,
  validateInteger,
} from '@twostage/core/provider-utils';
import type { LangChainRetriever, LangChainVectorStore } from './lang-chain-sources.js';

/** Options of {@link fromLangChainRetriever}. */
export type FromLangChainRetrieverOptions = {
  /**
   * The stage's `modelId`: what is searched, for logs, `servedBy` and errors.
   * @default the source's class name (`MemoryVectorStore`), else `'retriever'`
   */
  name?: string;
  /**
   * The metadata field holding a document's id when the document has no `id` of its own.
   * @default 'id'
   */
  idKey?: string;
  /**
   * A retriever's own top-k (its `k`), which twostage cannot change per call. With it, a
   * pipeline's default `retrieveTopK` becomes this number, and a larger `topK` is refused
   * instead of silently returning fewer. A vector store is asked for `topK` itself.
   * @default unlimited
   */
  maxTopK?: number;
  /**
   * What a vector store's scores mean: `'similarity'` (higher is better, as the in-memory store's
   * cosine) or `'distance'` (lower is better; the candidate's score is the negated distance).
   * @default 'similarity'
   */
  scores?: 'similarity' | 'distance';
  /**
   * How many documents a vector store is asked for when the call has a `filter`, which is applied
   * to what the store returned (LangChain stores each have their own filter language).
   * @default 100
   */
  filterFetchK?: number;
};

const optionNames = [
  'name',
  'idKey',
  'maxTopK',
  'scores',
  'filterFetchK',
] as const satisfies readonly (keyof FromLangChainRetrieverOptions)[];

type Source =
  | { kind: 'vectorStore'; store: LangChainVectorStore; distance: boolean; filterFetchK: number }
  | { kind: 'retriever'; retriever: LangChainRetriever };

/**
 * Makes a LangChain retriever (`vectorStore.asRetriever()`, your own `BaseRetriever`) or a
 * LangChain vector store a twostage `RetrieveStageV1`, so every store LangChain supports can be
 * stage 1 of a twostage pipeline.
 *
 * - Given a vector store (an object with `similaritySearchWithScore`), the candidates carry the
 *   store's own scores (`scores: 'distance'` negates them), best first, and the store is asked for
 *   `topK` documents.
 * - Given a retriever, which returns documents without scores, the retriever's order is the
 *   ranking and each candidate scores `1 / (1 + rank)` (rank from 0): rank-based, not a similarity.
 * - Ids are the documents' `id`, else `metadata[idKey]` when it is a string; a document returned
 *   twice keeps its first place; a document without either is an `InvalidResponseError`.
 * - Metadata is copied in twostage's types (strings, numbers, booleans, string lists); other
 *   values are left out with a warning naming them.
 * - A `filter` is applied to what LangChain returned; `topK` cuts the result. A `namespace` is
 *   refused (make one stage per store).
 * - LangChain calls take no abort signal here: an abort rejects the call at once with an
 *   `AbortedError`, and the late answer is dropped.
 *
 * @param source - the LangChain retriever or vector store
 * @param options - see {@link FromLangChainRetrieverOptions}
 * @throws InvalidArgumentError for a source with neither method, an unknown option or a bad value
 *
 * @example
 * const retriever = fromLangChainRetriever(vectorStore, { name: 'docs' });
 * const { results } = await twoStage({ retriever, reranker, query: 'early repayment fee' });
 */
export function fromLangChainRetriever(
  source: LangChainRetriever | LangChainVectorStore,
  options: FromLangChainRetrieverOptions = {},
): RetrieveStageV1 {
  if (source === null || typeof source !== 'object') {
    throw new InvalidArgumentError({
      argument: 'retriever',
      message:
        'must be a LangChain retriever (invoke(query)) or vector store (similaritySearchWithScore).',
    });
  }
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', message: 'must be an object.' });
  }
  checkOptionNames(options, optionNames, 'fromLangChainRetriever()', 'options');
  const modelId = checkName(options.name, source);
  const idKey = checkIdKey(options.idKey);
  if (
    options.scores !== undefined &&
    options.scores !== 'similarity' &&
    options.scores !== 'distance'
  ) {
    throw new InvalidArgumentError({
      argument: 'options.scores',
      message: `must be 'similarity' or 'distance', got ${String(options.scores)}.`,
    });
  }
  const maxTopK =
    options.maxTopK === undefined
      ? undefined
      : validateInteger(options.maxTopK, 'options.maxTopK', { min: 1 });
  const filterFetchK =
    options.filterFetchK === undefined
      ? 100
      : validateInteger(options.filterFetchK, 'options.filterFetchK', { min: 1 });
  let resolved: Source;
  if (typeof (source as Partial<LangChainVectorStore>).similaritySearchWithScore === 'function') {
    resolved = {
      kind: 'vectorStore',
      store: source as LangChainVectorStore,
      distance: options.scores === 'distance',
      filterFetchK,
    };
  } else if (typeof (source as Partial<LangChainRetriever>).invoke === 'function') {
    if (options.scores !== undefined || options.filterFetchK !== undefined) {
      throw new InvalidArgumentError({
        argument: options.scores !== undefined ? 'options.scores' : 'options.filterFetchK',
        message: 'applies to a vector store only; a retriever returns no scores and its own k.',
      });
    }
    resolved = { kind: 'retriever', retriever: source as LangChainRetriever };
  } else {
    throw new InvalidArgumentError({
      argument: 'retriever',
      message:
        'must be a LangChain retriever (invoke(query)) or vector store (similaritySearchWithScore).',
    });
  }
  const stage: RetrieveStageV1 = {
    specificationVersion: 'v1',
    provider: 'langchain',
    modelId,
    maxTopK,
    async doRetrieve(callOptions) {
      return retrieveDocuments(resolved, stage, idKey, callOptions);
    },
  };
  return stage;
}

function checkName(name: unknown, source: object): string {
  if (name === undefined) {
    const className = source.constructor?.name;
    return typeof className === 'string' && className !== '' && className !== 'Object'
      ? className
      : 'retriever';
  }
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidArgumentError({
      argument: 'options.name',
      message: 'must be a non-blank string.',
    });
  }
  return name;
}

function checkIdKey(idKey: unknown): string {
  if (idKey === undefined) return 'id';
  if (typeof idKey !== 'string' || idKey === '') {
    throw new InvalidArgumentError({
      argument: 'options.idKey',
      message: 'must be a non-empty string.',
    });
  }
  return idKey;
}

async function retrieveDocuments(
  source: Source,
  stage: RetrieveStageV1,
  idKey: string,
  { query, topK, filter, namespace, abortSignal }: RetrieveStageV1CallOptions,
): Promise<RetrieveStageV1Result> {
  throwIfAborted(abortSignal);
  if (namespace !== undefined) {
    throw new InvalidArgumentError({
      argument: 'namespace',
      message: `a LangChain retriever has no namespaces; make one stage per store instead (stage ${stage.modelId}).`,
    });
  }
  const matches = filter === undefined ? undefined : compileFilter(filter);
  let entries: { document: DocumentInterface; score: number }[];
  if (source.kind === 'vectorStore') {
    const k = matches === undefined ? topK : Math.max(topK, source.filterFetchK);
    const pairs: unknown = await raceAbort(
      source.store.similaritySearchWithScore(query, k),
      abortSignal,
    );
    if (!Array.isArray(pairs)) {
      throw invalid(
        stage,
        `similaritySearchWithScore() must return [document, score] pairs, got ${typeof pairs}.`,
      );
    }
    entries = pairs.map((pair: unknown, rank) => {
      if (!Array.isArray(pair) || typeof pair[1] !== 'number' || !Number.isFinite(pair[1])) {
        throw invalid(
          stage,
          `similaritySearchWithScore() returned an entry ${rank} that is not a [document, finite score] pair.`,
        );
      }
      return {
        document: pair[0] as DocumentInterface,
        score: source.distance ? -pair[1] : pair[1],
      };
    });
  } else {
    const documents: unknown = await raceAbort(source.retriever.invoke(query), abortSignal);
    if (!Array.isArray(documents)) {
      throw invalid(stage, `invoke() must return an array of Documents, got ${typeof documents}.`);
    }
    entries = documents.map((document: DocumentInterface, rank) => ({
      document,
      score: 1 / (1 + rank),
    }));
  }
  const warnings: WarningV1[] = [];
  const seen = new Set<string>();
  const dropped: string[] = [];
  const candidates: RetrievedCandidateV1[] = [];
  for (let rank = 0; rank < entries.length; rank++) {
    const { document, score } = entries[rank] as { document: DocumentInterface; score: number };
    if (
      document === null ||
      typeof document !== 'object' ||
      typeof document.pageContent !== 'string'
    ) {
      throw invalid(stage, `the entry at ${rank} is not a Document with a string pageContent.`);
    }
    const metadata = (document.metadata ?? {}) as Record<string, unknown>;
    const id =
      typeof document.id === 'string' && document.id !== '' ? document.id : metadata[idKey];
    if (typeof id !== 'string' || id === '') {
      throw invalid(
        stage,
        `the document at ${rank} has no id (neither document.id nor metadata.${idKey} is a string).`,
      );
    }
    if (seen.has(id)) continue;
    seen.add(id);
    const converted = toDocumentMetadata(metadata);
    if (matches !== undefined && !matches(converted.metadata)) continue;
    if (converted.dropped.length > 0) dropped.push(`${id} (${converted.dropped.join(', ')})`);
    const candidate: RetrievedCandidateV1 = { id, text: document.pageContent, score };
    if (Object.keys(converted.metadata).length > 0) candidate.metadata = converted.metadata;
    candidates.push(candidate);
  }
  // Stable sort: equal scores keep LangChain's order.
  candidates.sort((left, right) => right.score - left.score);
  if (candidates.length > topK) candidates.length = topK;
  if (dropped.length > 0) {
    warnings.push({
      type: 'other',
      message: `${stage.modelId}: metadata fields that are not strings, finite numbers, booleans or string lists were left out: ${dropped.join('; ')}.`,
    });
  }
  return warnings.length > 0 ? { candidates, warnings } : { candidates };
}

function invalid(stage: RetrieveStageV1, message: string): InvalidResponseError {
  return new InvalidResponseError({ provider: stage.provider, modelId: stage.modelId, message });
}
