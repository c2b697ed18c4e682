import type {
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
  MetadataFilter,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result,
} from '@twostage/core';
import {
  compileFilter,
  embedMany,
  InvalidArgumentError,
  InvalidResponseError,
  raceAbort,
  throwIfAborted,
} from '@twostage/core';
import { checkEmbeddings } from '@twostage/core/provider-utils';
import { documentSections, readDocumentSections } from './document-sections.js';
import type { DocumentSlots } from './document-slots.js';
import type {
  EmbeddedDocument,
  EmbeddedRetriever,
  NamespaceOptions,
  WriteOptions,
} from './embedded-retriever.js';
import {
  type IndexManifest,
  type LoadedIndexDirectory,
  writeIndexDirectory,
} from './index-files.js';
import { IvfIndex, type IvfSettings, type IvfState } from './ivf-index.js';
import { checkVectorRetrieverOptions } from './options/check-vector-retriever-options.js';
import { runInSlices, type SlicedWork, TaskQueue } from './run-in-slices.js';
import { namespaceOf, validateDocumentSteps, validateIds } from './validate-documents.js';
import {
  type VectorIndexMode,
  VectorSegment,
  type VectorSegmentSettings,
} from './vector-segment.js';
import {
  lastOccurrences,
  runWriteTransactions,
  type WriteTransaction,
} from './write-transaction.js';

/** A document for the vector retriever: embedded by the model unless `embedding` is given. */
export type VectorDocument = EmbeddedDocument & {
  /** A precomputed document embedding of the model's `dimensions`; skips the model call. */
  embedding?: Float32Array | readonly number[];
};

/** The first index holding NaN or ±Infinity, or −1. */
function nonFiniteIndex(vector: ArrayLike<number>): number {
  for (let index = 0; index < vector.length; index++) {
    if (!Number.isFinite(vector[index])) return index;
  }
  return -1;
}

/** Whether every value of `vector` is 0: under cosine such a vector has no direction. */
function isZeroVector(vector: ArrayLike<number>): boolean {
  for (let index = 0; index < vector.length; index++) {
    if (vector[index] !== 0) return false;
  }
  return true;
}

/** Why an all-zero vector is refused under cosine (every message says the same). */
const zeroVectorReason =
  'is all zeros, which has no direction under cosine similarity (it would score 0 against everything)';

/** Options of {@link createVectorRetriever}. */
export type VectorRetrieverOptions = {
  /** Embeds documents (input type `document`) and queries (input type `query`). */
  embeddingModel: EmbeddingModelV1;
  /**
   * A `provider:model` reference to the embedding model, stored in a saved index so that
   * `load` can resolve the model through the registry when none is passed.
   * @default `${embeddingModel.provider}:${embeddingModel.modelId}`
   */
  embeddingModelRef?: string;
  /**
   * `cosine` normalises vectors (scores in [−1, 1]); `dot` uses them as given.
   * @default 'cosine'
   */
  metric?: 'cosine' | 'dot';
  /**
   * `exact` scans every vector (WebAssembly SIMD); `approximate` uses an IVF index for namespaces
   * of 1,000 documents or more; `auto` switches to the IVF index at `approximateThreshold`.
   * @default 'auto'
   */
  index?: VectorIndexMode;
  /**
   * Documents in a namespace from which `auto` uses the approximate index.
   * @default 20000
   */
  approximateThreshold?: number;
  /** Settings of the approximate index (lists, probes, calibration target). */
  approximate?: IvfSettings;
  /**
   * Retries of each embedding batch of a write (`add`, `upsert`). Queries are retried by the
   * `retrieve()` around them, with its own `maxRetries`.
   * @default 2
   */
  maxRetries?: number;
  /** Embedding batches in flight at once. @default 4 */
  maxConcurrency?: number;
};

/** Options of {@link VectorRetriever.searchByVector}. */
export type SearchByVectorOptions = NamespaceOptions & {
  /** How many results at most. */
  topK: number;
  filter?: MetadataFilter;
  /**
   * Force the exact scan even where an approximate index exists (to measure recall, say).
   * @default false
   */
  exact?: boolean;
};

/** What a saved vector index records about its embedding model. */
export type SavedEmbeddingModel = {
  provider: string;
  modelId: string;
  dimensions: number;
  ref: string;
};

/** The state a saved vector index carries in its manifest. */
export type VectorState = {
  metric: 'cosine' | 'dot';
  index: VectorIndexMode;
  approximateThreshold: number;
  approximate: IvfSettings;
  embeddingModel: SavedEmbeddingModel;
  /** Per namespace; `documents` names the section prefix of documents stored by the other side of a hybrid index. */
  namespaces: { name: string; ivf?: IvfState; documents?: string }[];
};

/**
 * An in-memory vector retriever: documents embedded through core's `embedMany`, exact top-K by a
 * WebAssembly SIMD dot-product scan, an IVF index for large namespaces, Pinecone-style filters,
 * namespaces, add/upsert/delete by id and atomic save/load. Scores are cosine similarities (or
 * dot products with `metric: 'dot'`).
 */
export class VectorRetriever implements EmbeddedRetriever<VectorDocument> {
  readonly specificationVersion = 'v1';
  readonly provider = 'vector';
  readonly modelId: string;
  readonly maxTopK = undefined;
  /** The embedding model in use. */
  readonly embeddingModel: EmbeddingModelV1;
  private readonly segmentSettings: VectorSegmentSettings;
  private readonly state: Omit<VectorState, 'namespaces'>;
  private readonly embedOptions: { maxRetries?: number; maxConcurrency?: number };
  private readonly segments = new Map<string, VectorSegment>();

  constructor(options: VectorRetrieverOptions) {
    checkVectorRetrieverOptions(options);
    const model = options.embeddingModel;
    if (typeof model !== 'object' || model === null || typeof model.doEmbed !== 'function') {
      throw new InvalidArgumentError({
        argument: 'embeddingModel',
        message: 'must be an EmbeddingModelV1.',
      });
    }
    if (!Number.isInteger(model.dimensions) || model.dimensions < 1) {
      throw new InvalidArgumentError({
        argument: 'embeddingModel.dimensions',
        message: `must be a positive integer, got ${model.dimensions}.`,
      });
    }
    const metric = options.metric ?? 'cosine';
    if (metric !== 'cosine' && metric !== 'dot') {
      throw new InvalidArgumentError({
        argument: 'metric',
        message: `must be 'cosine' or 'dot', got '${String(metric)}'.`,
      });
    }
    const index = options.index ?? 'auto';
    if (index !== 'exact' && index !== 'approximate' && index !== 'auto') {
      throw new InvalidArgumentError({
        argument: 'index',
        message: `must be 'exact', 'approximate' or 'auto', got '${String(index)}'.`,
      });
    }
    const approximateThreshold = options.approximateThreshold ?? 20_000;
    this.embeddingModel = model;
    this.state = {
      metric,
      index,
      approximateThreshold,
      approximate: { ...options.approximate },
      embeddingModel: {
        provider: model.provider,
        modelId: model.modelId,
        dimensions: model.dimensions,
        ref: options.embeddingModelRef ?? `${model.provider}:${model.modelId}`,
      },
    };
    this.segmentSettings = {
      dimensions: model.dimensions,
      normalize: metric === 'cosine',
      mode: index,
      approximateThreshold,
      ivf: this.state.approximate,
    };
    this.embedOptions = {};
    if (options.maxRetries !== undefined) this.embedOptions.maxRetries = options.maxRetries;
    if (options.maxConcurrency !== undefined)
      this.embedOptions.maxConcurrency = options.maxConcurrency;
    this.modelId = `${metric}:${model.provider}:${model.modelId}`;
  }

  private segment(namespace: string): VectorSegment | undefined {
    return this.segments.get(namespace);
  }

  /**
   * Serialises this retriever's writes, deletes and saves: a write spans many turns of the
   * event loop, and nothing else may change the index in between.
   * @internal
   */
  readonly writeQueue = new TaskQueue();

  /**
   * {@inheritDoc EmbeddedRetriever.add}
   *
   * Documents are embedded first (nothing is written if that fails or is aborted). The
   * indexing, and an IVF build or retraining it calls for, then runs in slices of about 12 ms
   * that give the event loop a turn in between (see `runInSlices`). Queries running meanwhile
   * see the index as it was before the call; the documents (and a new IVF index) appear all at
   * once when the returned promise is about to resolve. An abort between slices adds nothing.
   */
  async add(documents: readonly VectorDocument[], options?: WriteOptions): Promise<void> {
    await runInSlices(validateDocumentSteps(documents, true));
    const namespace = namespaceOf(options);
    // Fail before paying for the embeddings when an id is already there.
    await runInSlices(this.absenceCheck(documents, namespace));
    const vectors = await this.embedDocuments(documents, options?.abortSignal);
    await this.writeQueue.run(async () => {
      // Another write may have added one of these ids while the model was embedding.
      await runInSlices(this.absenceCheck(documents, namespace), {
        abortSignal: options?.abortSignal,
      });
      await runWriteTransactions(
        [this.writeTransaction(documents, vectors, namespace, true)],
        options?.abortSignal,
      );
    });
  }

  /**
   * Throws when one of the documents' ids is already in the namespace (for `add`); yields
   * between documents.
   * @internal
   */
  *absenceCheck(documents: readonly EmbeddedDocument[], namespace: string): SlicedWork<void> {
    const existing = this.segment(namespace);
    if (existing === undefined) return;
    for (let index = 0; index < documents.length; index++) {
      const document = documents[index] as EmbeddedDocument;
      if (existing.documents.slotOf(document.id) !== undefined) {
        throw new InvalidArgumentError({
          argument: `documents[${index}].id`,
          message: `'${document.id}' is already in the index; use upsert() to replace it.`,
        });
      }
      if ((index & 255) === 255) yield;
    }
  }

  /** {@inheritDoc EmbeddedRetriever.upsert} (Sliced and atomic like {@link add}.) */
  async upsert(documents: readonly VectorDocument[], options?: WriteOptions): Promise<void> {
    await runInSlices(validateDocumentSteps(documents, false));
    const namespace = namespaceOf(options);
    const vectors = await this.embedDocuments(documents, options?.abortSignal);
    await this.writeQueue.run(() =>
      runWriteTransactions(
        [this.writeTransaction(documents, vectors, namespace, false)],
        options?.abortSignal,
      ),
    );
  }

  /**
   * Embeds the documents without a precomputed `embedding`, as documents, through `embedMany`
   * (batched, retried); checks the precomputed ones' length.
   * @internal
   */
  async embedDocuments(
    documents: readonly VectorDocument[],
    abortSignal: AbortSignal | undefined,
  ): Promise<ArrayLike<number>[]> {
    const vectors: ArrayLike<number>[] = new Array(documents.length);
    const missing: number[] = [];
    await runInSlices(this.embeddingChecks(documents, vectors, missing));
    if (missing.length > 0) {
      const embedOptions: Parameters<typeof embedMany>[0] = {
        model: this.embeddingModel,
        values: missing.map((index) => (documents[index] as VectorDocument).text),
        inputType: 'document',
        ...this.embedOptions,
      };
      if (abortSignal !== undefined) embedOptions.abortSignal = abortSignal;
      const { embeddings } = await embedMany(embedOptions);
      await runInSlices(this.responseChecks(embeddings, missing, vectors), { abortSignal });
    }
    throwIfAborted(abortSignal);
    return vectors;
  }

  /**
   * Checks the precomputed embeddings (dimensions, finite values) into `vectors`, and lists the
   * documents without one in `missing`; yields between documents.
   */
  private *embeddingChecks(
    documents: readonly VectorDocument[],
    vectors: ArrayLike<number>[],
    missing: number[],
  ): SlicedWork<void> {
    for (let index = 0; index < documents.length; index++) {
      if ((index & 63) === 63) yield;
      const document = documents[index] as VectorDocument;
      if (document.embedding === undefined) {
        missing.push(index);
        continue;
      }
      if (document.embedding.length !== this.embeddingModel.dimensions) {
        throw new InvalidArgumentError({
          argument: `documents[${index}].embedding`,
          message: `has ${document.embedding.length} dimensions; the model has ${this.embeddingModel.dimensions}.`,
        });
      }
      const bad = nonFiniteIndex(document.embedding);
      if (bad >= 0) {
        throw new InvalidArgumentError({
          argument: `documents[${index}].embedding[${bad}]`,
          message: `must be a finite number, got ${document.embedding[bad]}.`,
        });
      }
      if (this.state.metric === 'cosine' && isZeroVector(document.embedding)) {
        throw new InvalidArgumentError({
          argument: `documents[${index}].embedding`,
          message: `${zeroVectorReason}; give it a real embedding, or leave it out to have the model embed the text.`,
        });
      }
      vectors[index] = document.embedding;
    }
  }

  /** Checks the model's embeddings (finite values) into `vectors`; yields between them. */
  private *responseChecks(
    embeddings: readonly Float32Array[],
    missing: readonly number[],
    vectors: ArrayLike<number>[],
  ): SlicedWork<void> {
    for (let position = 0; position < missing.length; position++) {
      if ((position & 63) === 63) yield;
      const documentIndex = missing[position] as number;
      {
        const embedding = embeddings[position] as Float32Array;
        // A NaN would poison every score it meets (and the heap's ordering); refuse it here.
        const bad = nonFiniteIndex(embedding);
        if (bad >= 0) {
          throw new InvalidResponseError({
            provider: this.embeddingModel.provider,
            modelId: this.embeddingModel.modelId,
            message: `the embedding of documents[${documentIndex}] holds ${embedding[bad]} at dimension ${bad}.`,
          });
        }
        if (this.state.metric === 'cosine' && isZeroVector(embedding)) {
          throw new InvalidResponseError({
            provider: this.embeddingModel.provider,
            modelId: this.embeddingModel.modelId,
            message: `the embedding of documents[${documentIndex}] ${zeroVectorReason}.`,
          });
        }
        vectors[documentIndex] = embedding;
      }
    }
  }

  /**
   * The write of validated documents with their vectors as a transaction (run by the caller,
   * under {@link writeQueue}; the hybrid retriever runs it beside the lexical side's). Its
   * `prepare` writes the rows into dead slots and builds the IVF index the namespace will need;
   * `commit` publishes both at once.
   * @internal
   */
  writeTransaction(
    documents: readonly EmbeddedDocument[],
    vectors: readonly ArrayLike<number>[],
    namespace: string,
    unique: boolean,
  ): WriteTransaction {
    let segment = this.segments.get(namespace);
    const created = segment === undefined;
    if (segment === undefined) {
      segment = new VectorSegment(this.segmentSettings);
      this.segments.set(namespace, segment);
    }
    const target = segment;
    let ivf: IvfIndex | undefined;
    return {
      *prepare() {
        const positions = yield* lastOccurrences(documents, unique);
        for (const position of positions) {
          const document = documents[position] as EmbeddedDocument;
          target.addPending(
            document.id,
            document.text,
            document.metadata,
            vectors[position] as ArrayLike<number>,
          );
          yield;
        }
        ivf = yield* target.indexAfterCommit();
      },
      commit: () => target.commitPending(ivf),
      rollback: () => {
        target.rollbackPending();
        // A namespace this write created holds nothing else: it goes with the write.
        if (created) this.segments.delete(namespace);
      },
      tidy: () => this.compactionSteps(namespace),
    };
  }

  /** {@inheritDoc EmbeddedRetriever.delete} */
  async delete(ids: readonly string[], options?: NamespaceOptions): Promise<number> {
    validateIds(ids);
    const namespace = namespaceOf(options);
    return this.writeQueue.run(() => this.deleteNow(ids, namespace));
  }

  /**
   * Deletes under the caller's hold of {@link writeQueue} (the hybrid retriever's delete).
   * @internal
   */
  async deleteNow(ids: readonly string[], namespace: string): Promise<number> {
    const segment = this.segment(namespace);
    if (segment === undefined) return 0;
    let deleted = 0;
    for (const id of ids) if (segment.remove(id)) deleted++;
    if (segment.documents.size === 0) this.segments.delete(namespace);
    else await runInSlices(this.compactionSteps(namespace));
    return deleted;
  }

  /** Replaces the namespace's segment by a compacted copy once tombstones pile up. */
  private *compactionSteps(namespace: string): SlicedWork<void> {
    const segment = this.segments.get(namespace);
    if (segment === undefined || !segment.needsCompaction) return;
    // Queries keep using the old segment (same live documents) until the copy is complete.
    const compacted = yield* segment.compactedSteps();
    this.segments.set(namespace, compacted);
  }

  /**
   * Compacts, in slices, every namespace with tombstones (a save stores live documents only).
   * @internal
   */
  async compactForSave(): Promise<void> {
    for (const [namespace, segment] of this.segments) {
      if (segment.documents.deletedCount === 0) continue;
      this.segments.set(namespace, await runInSlices(segment.compactedSteps()));
    }
  }

  /** {@inheritDoc EmbeddedRetriever.get} */
  get(id: string, options?: NamespaceOptions): EmbeddedDocument | undefined {
    const segment = this.segment(namespaceOf(options));
    const slot = segment?.documents.slotOf(id);
    return slot === undefined ? undefined : segment?.documents.document(slot);
  }

  /** {@inheritDoc EmbeddedRetriever.size} */
  size(options?: NamespaceOptions): number {
    if (options?.namespace !== undefined)
      return this.segment(namespaceOf(options))?.documents.size ?? 0;
    let total = 0;
    for (const segment of this.segments.values()) total += segment.documents.size;
    return total;
  }

  /** {@inheritDoc EmbeddedRetriever.namespaces} */
  namespaces(): string[] {
    return [...this.segments.entries()]
      .filter(([, segment]) => segment.documents.size > 0)
      .map(([name]) => name);
  }

  /**
   * How a namespace is searched now: its size, and for the approximate index its number of
   * lists and of lists probed per query.
   */
  describeIndex(options?: NamespaceOptions): {
    documents: number;
    search: 'exact' | 'approximate';
    lists?: number;
    probes?: number;
  } {
    const segment = this.segment(namespaceOf(options));
    const ivf = segment?.ivf;
    if (ivf === undefined) return { documents: segment?.documents.size ?? 0, search: 'exact' };
    return {
      documents: segment?.documents.size ?? 0,
      search: 'approximate',
      lists: ivf.listCount,
      probes: ivf.probes,
    };
  }

  /** Whether queries in `namespace` currently go through the approximate (IVF) index. */
  usesApproximateIndex(options?: NamespaceOptions): boolean {
    return this.segment(namespaceOf(options))?.usesApproximate ?? false;
  }

  /**
   * Searches with a query vector instead of a text (no embedding call): the `topK` nearest
   * documents that pass the filter, best first.
   */
  searchByVector(
    vector: ArrayLike<number>,
    options: SearchByVectorOptions,
  ): RetrieveStageV1Result['candidates'] {
    if (vector.length !== this.embeddingModel.dimensions) {
      throw new InvalidArgumentError({
        argument: 'vector',
        message: `has ${vector.length} dimensions; the index has ${this.embeddingModel.dimensions}.`,
      });
    }
    const bad = nonFiniteIndex(vector);
    if (bad >= 0) {
      throw new InvalidArgumentError({
        argument: `vector[${bad}]`,
        message: `must be a finite number, got ${vector[bad]}.`,
      });
    }
    if (this.state.metric === 'cosine' && isZeroVector(vector)) {
      throw new InvalidArgumentError({ argument: 'vector', message: `${zeroVectorReason}.` });
    }
    if (!Number.isInteger(options.topK) || options.topK < 1) {
      throw new InvalidArgumentError({
        argument: 'topK',
        message: `must be an integer ≥ 1, got ${options.topK}.`,
      });
    }
    const filter = options.filter === undefined ? undefined : compileFilter(options.filter);
    const segment = this.segment(namespaceOf(options));
    if (segment === undefined) return [];
    return segment
      .search(segment.prepareQuery(vector), options.topK, filter, options.exact !== true)
      .map(({ score, slot }) => ({ ...segment.documents.document(slot), score }));
  }

  /** Embeds the query (input type `query`) and returns the nearest documents. */
  async doRetrieve(options: RetrieveStageV1CallOptions): Promise<RetrieveStageV1Result> {
    // Filters are checked before the embedding call, so a malformed one costs nothing.
    if (options.filter !== undefined) compileFilter(options.filter);
    const namespace = namespaceOf(options);
    throwIfAborted(options.abortSignal);
    if (this.segment(namespace) === undefined) {
      await Promise.resolve();
      throwIfAborted(options.abortSignal);
      return { candidates: [] };
    }
    // The model's own doEmbed, not core's embed(): the retrieve() around this call owns the one
    // retry loop, so a retryable embedding failure is retried there, maxRetries times in all.
    const embedCall: EmbeddingModelV1CallOptions = { values: [options.query], inputType: 'query' };
    if (options.abortSignal !== undefined) embedCall.abortSignal = options.abortSignal;
    if (options.headers !== undefined) embedCall.headers = options.headers;
    const result = await raceAbort(this.embeddingModel.doEmbed(embedCall), options.abortSignal);
    const [embedding] = checkEmbeddings(this.embeddingModel, result, 1) as [Float32Array];
    throwIfAborted(options.abortSignal);
    const bad = nonFiniteIndex(embedding);
    if (bad >= 0) {
      throw new InvalidResponseError({
        provider: this.embeddingModel.provider,
        modelId: this.embeddingModel.modelId,
        message: `the query embedding holds ${embedding[bad]} at dimension ${bad}.`,
      });
    }
    if (this.state.metric === 'cosine' && isZeroVector(embedding)) {
      throw new InvalidResponseError({
        provider: this.embeddingModel.provider,
        modelId: this.embeddingModel.modelId,
        message: `the query embedding ${zeroVectorReason}.`,
      });
    }
    const searchOptions: SearchByVectorOptions = { topK: options.topK, namespace };
    if (options.filter !== undefined) searchOptions.filter = options.filter;
    return { candidates: this.searchByVector(embedding, searchOptions) };
  }

  /** {@inheritDoc EmbeddedRetriever.save} */
  async save(directory: string): Promise<void> {
    await this.writeQueue.run(async () => {
      await this.compactForSave();
      const { sections, state } = this.exportState('');
      await writeIndexDirectory(directory, 'vector', sections, state);
    });
  }

  /**
   * The sections and manifest state of this index, section names prefixed (for hybrid).
   * @internal
   */
  exportState(
    prefix: string,
    sharedDocuments?: (namespace: string, documents: DocumentSlots) => string | undefined,
  ): {
    sections: Record<string, Uint8Array | Uint32Array | Int32Array | Float32Array>;
    state: VectorState;
  } {
    const sections: Record<string, Uint8Array | Uint32Array | Int32Array | Float32Array> = {};
    const namespaces: VectorState['namespaces'] = [];
    this.namespaces().forEach((namespace, index) => {
      let segment = this.segments.get(namespace) as VectorSegment;
      if (segment.documents.deletedCount > 0) {
        segment = segment.compacted();
        this.segments.set(namespace, segment);
      }
      const sectionPrefix = `${prefix}ns${index}.`;
      const shared = sharedDocuments?.(namespace, segment.documents);
      if (shared === undefined)
        Object.assign(sections, documentSections(segment.documents, sectionPrefix));
      // Copies, not views: the rows live in WebAssembly memory, and a write made while the save
      // awaits the disk may grow (and so detach) that memory, which would empty the views.
      sections[`${sectionPrefix}vectors`] = segment.kernel
        .rows(segment.documents.slotCount)
        .slice();
      const quantized = segment.quantized.export(segment.documents.slotCount);
      sections[`${sectionPrefix}quantized`] = quantized.rows.slice();
      sections[`${sectionPrefix}scales`] = quantized.scales.slice();
      sections[`${sectionPrefix}norms`] = quantized.norms.slice();
      const entry: VectorState['namespaces'][number] = { name: namespace };
      if (shared !== undefined) entry.documents = shared;
      if (segment.ivf !== undefined) {
        const { arrays, state } = segment.ivf.toArrays();
        sections[`${sectionPrefix}centroids`] = arrays.centroids;
        sections[`${sectionPrefix}listEnds`] = arrays.listEnds;
        sections[`${sectionPrefix}listSlots`] = arrays.listSlots;
        entry.ivf = state;
      }
      namespaces.push(entry);
    });
    return { sections, state: { ...this.state, namespaces } };
  }

  /**
   * Creates an empty retriever for a saved index and sizes its namespaces, returning where the
   * data reader should put the vector rows (straight into kernel memory, no intermediate copy).
   * @internal
   */
  static prepareLoad(
    manifest: IndexManifest,
    state: unknown,
    prefix: string,
    embeddingModel: EmbeddingModelV1,
  ): { retriever: VectorRetriever; targets: Map<string, Uint8Array> } {
    const saved = state as VectorState;
    if (typeof saved !== 'object' || saved === null || !Array.isArray(saved.namespaces)) {
      throw new TypeError('The vector state is missing from the manifest.');
    }
    const retriever = new VectorRetriever({
      embeddingModel,
      embeddingModelRef: saved.embeddingModel.ref,
      metric: saved.metric,
      index: saved.index,
      approximateThreshold: saved.approximateThreshold,
      approximate: saved.approximate,
    });
    const targets = new Map<string, Uint8Array>();
    saved.namespaces.forEach(({ name }, index) => {
      const segment = new VectorSegment(retriever.segmentSettings);
      const vectorsName = `${prefix}ns${index}.vectors`;
      const quantizedName = `${prefix}ns${index}.quantized`;
      const entry = manifest.sections[vectorsName];
      const count = entry === undefined ? 0 : entry.length / segment.kernel.stride;
      if (entry === undefined || entry.type !== 'f32' || !Number.isInteger(count)) {
        throw new RangeError(
          `The vectors of namespace '${name}' are missing or of the wrong size.`,
        );
      }
      targets.set(vectorsName, segment.kernel.prepareRows(count));
      targets.set(quantizedName, segment.quantized.prepare(count));
      retriever.segments.set(name, segment);
    });
    return { retriever, targets };
  }

  /**
   * Fills a retriever made by {@link VectorRetriever.prepareLoad} from the loaded directory
   * (sections under `prefix`): documents, rows not read in place, IVF lists.
   * @internal
   */
  static fromLoaded(
    loaded: LoadedIndexDirectory,
    state: unknown,
    prefix: string,
    retriever: VectorRetriever,
  ): VectorRetriever {
    const saved = state as VectorState;
    const dimensions = retriever.segmentSettings.dimensions;
    saved.namespaces.forEach(({ name, ivf, documents: sharedPrefix }, index) => {
      const sectionPrefix = `${prefix}ns${index}.`;
      const documents = readDocumentSections(loaded, sharedPrefix ?? sectionPrefix);
      const segment = retriever.segments.get(name) as VectorSegment;
      const count = documents.ids.length;
      if (segment.kernel.capacity < count) {
        throw new RangeError(
          `The vectors of namespace '${name}' do not match its ${count} documents.`,
        );
      }
      if (!loaded.readDirectly(`${sectionPrefix}vectors`)) {
        segment.kernel.setRows(loaded.section(`${sectionPrefix}vectors`, 'f32'), count);
      }
      segment.quantized.import(count, {
        rows: loaded.readDirectly(`${sectionPrefix}quantized`)
          ? undefined
          : loaded.section(`${sectionPrefix}quantized`, 'u8'),
        scales: loaded.section(`${sectionPrefix}scales`, 'f32'),
        norms: loaded.section(`${sectionPrefix}norms`, 'f32'),
      });
      documents.ids.forEach((id, slot) => {
        segment.documents.append(id, documents.texts[slot] as string, documents.metadata[slot]);
      });
      if (ivf !== undefined) {
        segment.ivf = IvfIndex.fromArrays(
          dimensions,
          {
            centroids: loaded.section(`${sectionPrefix}centroids`, 'f32'),
            listEnds: loaded.section(`${sectionPrefix}listEnds`, 'u32'),
            listSlots: loaded.section(`${sectionPrefix}listSlots`, 'i32'),
          },
          ivf,
        );
      }
    });
    return retriever;
  }

  /** What the index records about its embedding model. */
  get savedEmbeddingModel(): SavedEmbeddingModel {
    return this.state.embeddingModel;
  }
}

/**
 * Creates an empty in-memory vector retriever (see {@link VectorRetriever}).
 *
 * @example
 * const retriever = createVectorRetriever({ embeddingModel, metric: 'cosine', index: 'auto' });
 * await retriever.add(chunks); // embedded as documents through embedMany
 * const { candidates } = await retrieve({ retriever, query: 'early repayment fee', topK: 50 });
 */
export function createVectorRetriever(options: VectorRetrieverOptions): VectorRetriever {
  return new VectorRetriever(options);
}
