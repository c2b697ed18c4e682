import type {
  DocumentMetadata,
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
  RetrievedCandidateV1,
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result,
  WarningV1,
} from '@twostage/core';
import { InvalidArgumentError, raceAbort, throwIfAborted, validateFilter } from '@twostage/core';
import { checkEmbeddings, checkOptionNames } from '@twostage/core/provider-utils';
import type { PineconeConnection } from './pinecone-connection.js';

/** How the retriever searches: with our own query vector, or with Pinecone's integrated embedding. */
export type PineconeRetrieverMode = 'vector' | 'records';

/** The similarity metric of a Pinecone index. */
export type PineconeMetric = 'cosine' | 'dotproduct' | 'euclidean';

/** Options of `pinecone.retriever(...)`. */
export type PineconeRetrieverOptions = {
  /** The index name. */
  index: string;
  /** The namespace searched when a call names none; Pinecone's default namespace when absent. */
  namespace?: string;
  /**
   * `vector`: embed the query with `embeddingModel` (input type `query`) and `query` the index
   * by vector; the documents must have been embedded with the same model. `records`: search an
   * index with integrated embedding by text (`searchRecords`); Pinecone embeds the query, and
   * its server-side rerank is never requested, so stage 2 stays the authority.
   * @default 'vector' when an `embeddingModel` is given, else 'records'
   */
  mode?: PineconeRetrieverMode;
  /** The model that embedded the documents; required in `vector` mode. */
  embeddingModel?: EmbeddingModelV1;
  /**
   * The metadata field (vector mode) or record field (records mode) that holds a candidate's
   * text, what stage 2 scores. It is left out of the candidate's `metadata`.
   * @default 'text' in vector mode; the index's `field_map.text` in records mode
   */
  textField?: string;
  /**
   * What to do with a match that has no string in `textField`: `error` fails the call with an
   * `InvalidArgumentError` naming the record, the field and the fields it has (most often the
   * text sits under another name, and every match is affected); `skip` drops such matches and
   * reports their ids in a warning.
   * @default 'error'
   */
  missingText?: 'error' | 'skip';
  /**
   * The index's metric. When absent it is read once from the index description (one control
   * plane call, which also checks the query vector's length against the index's dimension).
   * Euclidean scores are distances (lower is nearer), so they are negated: candidates' scores
   * are always "higher is better".
   * @default read from the index
   */
  metric?: PineconeMetric;
  /** The index's data-plane host, to skip the host lookup. @default the provider's `indexHost` */
  indexHost?: string;
};

type IndexFacts = {
  metric: PineconeMetric | undefined;
  dimension: number | undefined;
  textField: string;
};
type Hit = { id: string; score: number; fields: Record<string, unknown> };
/** The one index-description request shared by concurrent calls, and who still waits for it. */
type FactsLookup = {
  promise: Promise<IndexFacts>;
  controller: AbortController;
  waiters: number;
  settled: boolean;
};

/**
 * Stage 1 on Pinecone: a vector query (through any core `EmbeddingModelV1`) or an
 * integrated-inference text search. Filters are Pinecone's own language, validated before the
 * call so a malformed filter fails the same way on every backend.
 *
 * @see https://docs.pinecone.io/reference/api/2026-04/data-plane/query
 * @see https://docs.pinecone.io/reference/api/2026-04/data-plane/search_records
 */
export class PineconeRetriever implements RetrieveStageV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'pinecone';
  /** The index name. */
  readonly modelId: string;
  /** Pinecone's largest `top_k`. */
  readonly maxTopK = 10_000;
  /** How it searches: by query vector, or by text with integrated embedding. */
  readonly mode: PineconeRetrieverMode;
  private readonly embeddingModel: EmbeddingModelV1 | undefined;
  private factsLookup: FactsLookup | undefined;

  constructor(
    private readonly connection: PineconeConnection,
    private readonly options: PineconeRetrieverOptions,
  ) {
    if (options !== null && typeof options === 'object') {
      checkOptionNames(
        options,
        [
          'index',
          'namespace',
          'mode',
          'embeddingModel',
          'textField',
          'missingText',
          'metric',
          'indexHost',
        ],
        'pinecone.retriever()',
        'options',
      );
    }
    if (typeof options?.index !== 'string' || options.index.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'index',
        message: 'must be a non-empty index name.',
      });
    }
    const mode = options.mode ?? (options.embeddingModel === undefined ? 'records' : 'vector');
    if (mode !== 'vector' && mode !== 'records') {
      throw new InvalidArgumentError({
        argument: 'mode',
        message: `must be 'vector' or 'records', got '${String(mode)}'.`,
      });
    }
    if (mode === 'vector' && options.embeddingModel === undefined) {
      throw new InvalidArgumentError({
        argument: 'embeddingModel',
        message:
          "is required in 'vector' mode: the query must be embedded with the model that embedded the documents.",
      });
    }
    if (
      options.missingText !== undefined &&
      options.missingText !== 'error' &&
      options.missingText !== 'skip'
    ) {
      throw new InvalidArgumentError({
        argument: 'missingText',
        message: "must be 'error' or 'skip'.",
      });
    }
    this.modelId = options.index;
    this.mode = mode;
    this.embeddingModel = options.embeddingModel;
  }

  async doRetrieve(options: RetrieveStageV1CallOptions): Promise<RetrieveStageV1Result> {
    const { query, topK, filter, abortSignal, headers } = options;
    throwIfAborted(abortSignal);
    // Checked here so a malformed filter never costs a request (and fails as on the embedded index).
    if (filter !== undefined) validateFilter(filter);
    const facts = await this.indexFacts(abortSignal);
    const index = this.connection.index(
      this.options.index,
      options.namespace ?? this.options.namespace,
      this.options.indexHost,
    );
    const call = { abortSignal, headers };

    let hits: Hit[];
    if (this.mode === 'vector') {
      // The model's own doEmbed, once: the retrieve() around this call owns the one retry loop.
      const model = this.embeddingModel as EmbeddingModelV1;
      const embedCall: EmbeddingModelV1CallOptions = { values: [query], inputType: 'query' };
      if (abortSignal !== undefined) embedCall.abortSignal = abortSignal;
      // The caller's headers (tracing, tenancy) go with every request of the call.
      if (headers !== undefined) embedCall.headers = headers;
      const [embedding] = checkEmbeddings(
        model,
        await raceAbort(model.doEmbed(embedCall), abortSignal),
        1,
      ) as [Float32Array];
      if (facts.dimension !== undefined && embedding.length !== facts.dimension) {
        throw new InvalidArgumentError({
          argument: 'embeddingModel',
          message: `${describeModel(this.embeddingModel)} produces ${embedding.length}-dimensional vectors, but index '${this.modelId}' holds ${facts.dimension}-dimensional ones.`,
        });
      }
      const response = await this.connection.run(
        'query',
        () =>
          index.query({
            topK,
            vector: Array.from(embedding),
            includeMetadata: true,
            includeValues: false,
            ...(filter === undefined ? {} : { filter }),
          }),
        call,
      );
      hits = response.matches.map((match) => ({
        id: match.id,
        score: match.score ?? 0,
        fields: (match.metadata ?? {}) as Record<string, unknown>,
      }));
    } else {
      const response = await this.connection.run(
        'searchRecords',
        () =>
          index.searchRecords({
            query: { topK, inputs: { text: query }, ...(filter === undefined ? {} : { filter }) },
          }),
        call,
      );
      hits = response.result.hits.map((hit) => ({
        id: hit._id,
        score: hit._score,
        fields: (hit.fields ?? {}) as Record<string, unknown>,
      }));
    }
    return this.toResult(hits, facts);
  }

  private toResult(hits: Hit[], facts: IndexFacts): RetrieveStageV1Result {
    const warnings: WarningV1[] = [];
    const skipped: string[] = [];
    const candidates: RetrievedCandidateV1[] = [];
    const sign = facts.metric === 'euclidean' ? -1 : 1;
    for (const hit of hits) {
      const text = hit.fields[facts.textField];
      if (typeof text !== 'string') {
        if ((this.options.missingText ?? 'error') === 'error') {
          const present = Object.keys(hit.fields);
          throw new InvalidArgumentError({
            argument: 'textField',
            message: `record '${hit.id}' of index '${this.modelId}' has no text in field '${facts.textField}' (its fields: ${present.length === 0 ? 'none' : present.join(', ')}). Set 'textField' to the field that holds the text, or pass missingText: 'skip' to drop such records.`,
          });
        }
        skipped.push(hit.id);
        continue;
      }
      const candidate: RetrievedCandidateV1 = { id: hit.id, text, score: sign * hit.score };
      const metadata = toMetadata(hit.fields, facts.textField);
      if (metadata !== undefined) candidate.metadata = metadata;
      candidates.push(candidate);
    }
    if (skipped.length > 0) {
      warnings.push({
        type: 'other',
        message: `Dropped ${skipped.length} Pinecone record(s) without text in field '${facts.textField}': ${skipped.join(', ')}.`,
      });
    }
    // Pinecone returns nearest first; a stable sort keeps its order among equal scores.
    candidates.sort((left, right) => right.score - left.score);
    return warnings.length === 0 ? { candidates } : { candidates, warnings };
  }

  /**
   * What the retriever needs to know about the index: its metric (to orient scores), its
   * dimension (to check the query vector) and, in records mode, the field holding the text.
   * Read once and shared by concurrent calls. Each call races its own abort signal against the
   * shared request; the request itself is aborted (and forgotten) once every call waiting for it
   * has been aborted, so an abandoned lookup never keeps running. A failed lookup is forgotten
   * too, so the next call tries again.
   */
  private async indexFacts(abortSignal: AbortSignal | undefined): Promise<IndexFacts> {
    const { metric, textField } = this.options;
    if (metric !== undefined && (this.mode === 'vector' || textField !== undefined)) {
      return { metric, dimension: undefined, textField: textField ?? 'text' };
    }
    const lookup = this.factsLookup ?? this.startFactsLookup();
    lookup.waiters += 1;
    try {
      return await raceAbort(lookup.promise, abortSignal);
    } finally {
      lookup.waiters -= 1;
      if (lookup.waiters === 0 && !lookup.settled && abortSignal?.aborted === true) {
        if (this.factsLookup === lookup) this.factsLookup = undefined;
        lookup.controller.abort(abortSignal.reason);
      }
    }
  }

  private startFactsLookup(): FactsLookup {
    const { metric, textField } = this.options;
    const controller = new AbortController();
    const lookup: FactsLookup = {
      controller,
      waiters: 0,
      settled: false,
      promise: this.connection
        .run('describeIndex', (client) => client.describeIndex(this.options.index), {
          abortSignal: controller.signal,
        })
        .then((description) => {
          if (this.mode === 'records' && description.embed === undefined) {
            throw new InvalidArgumentError({
              argument: 'mode',
              message: `index '${this.modelId}' has no integrated embedding, so it cannot be searched by text ('records' mode). Use mode 'vector' with the embeddingModel that embedded its documents.`,
            });
          }
          const fieldMap = description.embed?.fieldMap as Record<string, unknown> | undefined;
          const mappedText = typeof fieldMap?.text === 'string' ? fieldMap.text : undefined;
          lookup.settled = true;
          return {
            metric: metric ?? toMetric(description.metric),
            dimension: this.mode === 'vector' ? description.dimension : undefined,
            textField: textField ?? (this.mode === 'records' ? mappedText : undefined) ?? 'text',
          };
        })
        .catch((error: unknown) => {
          lookup.settled = true;
          if (this.factsLookup === lookup) this.factsLookup = undefined;
          throw error;
        }),
    };
    // Nobody may be waiting by the time it fails (every caller aborted): not an unhandled rejection.
    lookup.promise.catch(() => {});
    this.factsLookup = lookup;
    return lookup;
  }
}

function toMetric(metric: string | undefined): PineconeMetric | undefined {
  return metric === 'cosine' || metric === 'dotproduct' || metric === 'euclidean'
    ? metric
    : undefined;
}

function describeModel(model: EmbeddingModelV1 | undefined): string {
  return model === undefined
    ? 'the embedding model'
    : `embedding model '${model.provider}:${model.modelId}'`;
}

/** The fields of a match other than its text, keeping only the value types metadata may hold. */
function toMetadata(
  fields: Record<string, unknown>,
  textField: string,
): DocumentMetadata | undefined {
  const metadata: DocumentMetadata = {};
  let count = 0;
  for (const [key, value] of Object.entries(fields)) {
    if (key === textField) continue;
    if (
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (Array.isArray(value) && value.every((element) => typeof element === 'string'))
    ) {
      metadata[key] = value as DocumentMetadata[string];
      count += 1;
    }
  }
  return count === 0 ? undefined : metadata;
}
