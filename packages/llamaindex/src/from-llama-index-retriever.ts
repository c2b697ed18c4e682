/**
 * A LlamaIndex.TS retriever as a twostage retrieve stage.
 * @see https://ts.llamaindex.ai/docs/llamaindex/modules/retriever
 */
import { MetadataMode, type NodeWithScore } from '@llamaindex/core/schema';
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
import { checkMetadataMode } from './check-metadata-mode.js';
import type { LlamaIndexRetriever } from './llama-index-retriever.js';

/** Options of {@link fromLlamaIndexRetriever}. */
export type FromLlamaIndexRetrieverOptions = {
  /**
   * The stage's `modelId`: what is searched, for logs, `servedBy` and errors.
   * @default the retriever's class name (`VectorIndexRetriever`), else `'retriever'`
   */
  name?: string;
  /**
   * How a node's text is read for the candidate (`node.getContent(metadataMode)`). The metadata
   * travels separately, in the candidate's `metadata`, so by default the text is the text alone.
   * @default MetadataMode.NONE
   */
  metadataMode?: MetadataMode;
  /**
   * The most candidates one call can give: the retriever's own top-k (`similarityTopK`), which
   * twostage cannot change per call. With it, a pipeline's default `retrieveTopK` becomes this
   * number, and a larger `topK` is refused instead of silently returning fewer.
   * @default unlimited
   */
  maxTopK?: number;
};

const optionNames = [
  'name',
  'metadataMode',
  'maxTopK',
] as const satisfies readonly (keyof FromLlamaIndexRetrieverOptions)[];

/**
 * Makes any LlamaIndex retriever (a `VectorStoreIndex`'s `asRetriever()`, a vector store's, your
 * own `BaseRetriever`) a twostage `RetrieveStageV1`, so every store LlamaIndex supports can be
 * stage 1 of a twostage pipeline.
 *
 * - Ids are the nodes' `id_`; a node returned twice keeps its first place.
 * - Scores are the nodes' `score` when every node has one (sorted descending, ties in the
 *   retriever's order); otherwise the retriever's order is the ranking and each candidate scores
 *   `1 / (1 + rank)` (rank from 0), so a retriever without scores still ranks.
 * - Metadata is copied in twostage's types (strings, numbers, booleans, string lists); other
 *   values are left out with a warning naming them.
 * - A `filter` is applied to what the retriever returned (LlamaIndex's own filters have another
 *   language), so the retriever's top-k should leave room for it; `topK` cuts the result.
 * - A LlamaIndex retriever takes no abort signal: an abort rejects the call at once with an
 *   `AbortedError`, and the retriever's late answer is dropped.
 *
 * @param retriever - the LlamaIndex retriever; any object with `retrieve(query)`
 * @param options - see {@link FromLlamaIndexRetrieverOptions}
 * @throws InvalidArgumentError for a retriever without `retrieve`, an unknown option or a bad value
 *
 * @example
 * const retriever = fromLlamaIndexRetriever(index.asRetriever({ similarityTopK: 50 }), { name: 'docs' });
 * const { results } = await twoStage({ retriever, reranker, query: 'early repayment fee' });
 */
export function fromLlamaIndexRetriever(
  retriever: LlamaIndexRetriever,
  options: FromLlamaIndexRetrieverOptions = {},
): RetrieveStageV1 {
  if (
    retriever === null ||
    typeof retriever !== 'object' ||
    typeof (retriever as { retrieve?: unknown }).retrieve !== 'function'
  ) {
    throw new InvalidArgumentError({
      argument: 'retriever',
      message: 'must be a LlamaIndex retriever (an object with a retrieve(query) method).',
    });
  }
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', message: 'must be an object.' });
  }
  checkOptionNames(options, optionNames, 'fromLlamaIndexRetriever()', 'options');
  const modelId = checkName(options.name, retriever);
  const metadataMode = checkMetadataMode(
    options.metadataMode,
    MetadataMode.NONE,
    'options.metadataMode',
  );
  const maxTopK =
    options.maxTopK === undefined
      ? undefined
      : validateInteger(options.maxTopK, 'options.maxTopK', { min: 1 });
  const stage: RetrieveStageV1 = {
    specificationVersion: 'v1',
    provider: 'llamaindex',
    modelId,
    maxTopK,
    async doRetrieve(callOptions) {
      return retrieveNodes(retriever, stage, metadataMode, callOptions);
    },
  };
  return stage;
}

function checkName(name: unknown, retriever: object): string {
  if (name === undefined) {
    const className = retriever.constructor?.name;
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

async function retrieveNodes(
  retriever: LlamaIndexRetriever,
  stage: RetrieveStageV1,
  metadataMode: MetadataMode,
  { query, topK, filter, namespace, abortSignal }: RetrieveStageV1CallOptions,
): Promise<RetrieveStageV1Result> {
  throwIfAborted(abortSignal);
  if (namespace !== undefined) {
    // Ignoring it would mix partitions; one stage per LlamaIndex index is the honest mapping.
    throw new InvalidArgumentError({
      argument: 'namespace',
      message: `a LlamaIndex retriever has no namespaces; make one stage per index instead (stage ${stage.modelId}).`,
    });
  }
  const matches = filter === undefined ? undefined : compileFilter(filter);
  const nodes: unknown = await raceAbort(retriever.retrieve(query), abortSignal);
  if (!Array.isArray(nodes)) {
    throw invalid(stage, `retrieve() must return an array of NodeWithScore, got ${typeof nodes}.`);
  }
  const scored = nodes.every(
    (entry: Partial<NodeWithScore> | null) =>
      typeof entry?.score === 'number' && Number.isFinite(entry.score),
  );
  const warnings: WarningV1[] = [];
  if (!scored && nodes.some((entry: Partial<NodeWithScore> | null) => entry?.score !== undefined)) {
    warnings.push({
      type: 'other',
      message: `${stage.modelId}: some nodes had no finite score, so the retriever's order was used as the ranking.`,
    });
  }
  const seen = new Set<string>();
  const dropped: string[] = [];
  const candidates: RetrievedCandidateV1[] = [];
  for (let rank = 0; rank < nodes.length; rank++) {
    const entry = nodes[rank] as Partial<NodeWithScore> | null;
    const node = entry?.node;
    if (node === null || typeof node !== 'object' || typeof node.getContent !== 'function') {
      throw invalid(stage, `retrieve() returned an entry ${rank} without a node.`);
    }
    const id = node.id_;
    if (typeof id !== 'string') {
      throw invalid(stage, `the node at ${rank} has no string id_.`);
    }
    if (seen.has(id)) continue;
    seen.add(id);
    const converted = toDocumentMetadata(node.metadata ?? {});
    if (matches !== undefined && !matches(converted.metadata)) continue;
    if (converted.dropped.length > 0) dropped.push(`${id} (${converted.dropped.join(', ')})`);
    const candidate: RetrievedCandidateV1 = {
      id,
      text: node.getContent(metadataMode),
      score: scored ? (entry?.score as number) : 1 / (1 + rank),
    };
    if (Object.keys(converted.metadata).length > 0) candidate.metadata = converted.metadata;
    candidates.push(candidate);
  }
  // Array.prototype.sort is stable, so equal scores keep the retriever's order.
  if (scored) candidates.sort((left, right) => right.score - left.score);
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
