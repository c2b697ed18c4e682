import type { RetrieveStageV1CallOptions, RetrieveStageV1Result } from '@twostage/core';
import { compileFilter, InvalidArgumentError, throwIfAborted } from '@twostage/core';
import { Bm25Segment } from './bm25-segment.js';
import { documentSections, readDocumentSections } from './document-sections.js';
import type { DocumentSlots } from './document-slots.js';
import type {
  EmbeddedDocument,
  EmbeddedRetriever,
  NamespaceOptions,
  WriteOptions,
} from './embedded-retriever.js';
import {
  type LoadedIndexDirectory,
  readIndexDirectory,
  writeIndexDirectory,
} from './index-files.js';
import { IndexFormatError } from './index-format-error.js';
import { checkOptionsObject } from './options/check-options-object.js';
import { runInSlices, type SlicedWork, TaskQueue } from './run-in-slices.js';
import { decodeStrings, encodeStrings } from './string-table.js';
import { checkAnalyzerOptions } from './text/check-analyzer-options.js';
import {
  createTextAnalyzer,
  type TextAnalyzer,
  type TextAnalyzerOptions,
} from './text/tokenize.js';
import { namespaceOf, validateDocumentSteps, validateIds } from './validate-documents.js';
import {
  lastOccurrences,
  runWriteTransactions,
  type WriteTransaction,
} from './write-transaction.js';

/** Options of {@link createBm25Retriever}; saved with the index and restored by `load`. */
export type Bm25RetrieverOptions = {
  /**
   * Term-frequency saturation: how quickly repeated words stop adding to the score.
   * @default 1.2
   */
  k1?: number;
  /**
   * Length normalisation: 0 ignores document length, 1 divides fully by it (relative to the
   * average).
   * @default 0.75
   */
  b?: number;
  /**
   * How texts become terms (normalisation, diacritics folding, stop words). Queries go through
   * the same analyzer. @default {} (NFC, lower case, diacritics kept, no stop words)
   */
  analyzer?: TextAnalyzerOptions;
};

/** Every option name of {@link createBm25Retriever}. */
const bm25OptionNames = ['k1', 'b', 'analyzer'] as const;

/** The state a saved BM25 index carries in its manifest. */
type Bm25State = {
  k1: number;
  b: number;
  analyzer: TextAnalyzerOptions;
  namespaces: string[];
};

/**
 * An in-memory BM25 retriever (Okapi BM25 with the non-negative idf
 * `ln(1 + (N − n + 0.5) / (n + 0.5))`), with namespaces, Pinecone-style metadata filters,
 * add/upsert/delete by id and atomic save/load. Scores are plain BM25 values, higher is better.
 */
export class Bm25Retriever implements EmbeddedRetriever {
  readonly specificationVersion = 'v1';
  readonly provider = 'bm25';
  readonly modelId: string;
  readonly maxTopK = undefined;
  /** The parameters in force (defaults filled in). */
  readonly settings: Required<Pick<Bm25RetrieverOptions, 'k1' | 'b'>> & {
    analyzer: TextAnalyzerOptions;
  };
  private readonly analyzer: TextAnalyzer;
  private readonly segments = new Map<string, Bm25Segment>();

  constructor(options: Bm25RetrieverOptions = {}) {
    checkOptionsObject(options, bm25OptionNames, 'createBm25Retriever()', 'options');
    const analyzer = checkAnalyzerOptions(options.analyzer, 'createBm25Retriever()', 'analyzer');
    const k1 = options.k1 ?? 1.2;
    const b = options.b ?? 0.75;
    if (typeof k1 !== 'number' || !Number.isFinite(k1) || k1 < 0) {
      throw new InvalidArgumentError({
        argument: 'k1',
        message: `must be a number ≥ 0, got ${k1}.`,
      });
    }
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || b > 1) {
      throw new InvalidArgumentError({
        argument: 'b',
        message: `must be between 0 and 1, got ${b}.`,
      });
    }
    this.settings = { k1, b, analyzer: { ...analyzer } };
    this.analyzer = createTextAnalyzer(this.settings.analyzer);
    this.modelId = `bm25(k1=${k1},b=${b})`;
  }

  private segment(namespace: string, create: true): Bm25Segment;
  private segment(namespace: string, create: false): Bm25Segment | undefined;
  private segment(namespace: string, create: boolean): Bm25Segment | undefined {
    let segment = this.segments.get(namespace);
    if (segment === undefined && create) {
      segment = new Bm25Segment(this.analyzer, this.settings);
      this.segments.set(namespace, segment);
    }
    return segment;
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
   * The work runs in slices of about 12 ms that give the event loop a turn in between (see
   * `runInSlices`). Queries running meanwhile see the index as it was before the call; the
   * documents appear all at once when the returned promise is about to resolve. An abort
   * between slices, or a failure, adds nothing.
   */
  async add(documents: readonly EmbeddedDocument[], options?: WriteOptions): Promise<void> {
    const abortSignal = options?.abortSignal;
    // Queued at once, validation included: writes and saves apply in the order of the calls.
    await this.writeQueue.run(async () => {
      await runInSlices(validateDocumentSteps(documents, true));
      const namespace = namespaceOf(options);
      throwIfAborted(abortSignal);
      await runInSlices(this.absenceCheck(documents, namespace), { abortSignal });
      await runWriteTransactions([this.writeTransaction(documents, namespace, true)], abortSignal);
    });
  }

  /** {@inheritDoc EmbeddedRetriever.upsert} (Sliced and atomic like {@link add}.) */
  async upsert(documents: readonly EmbeddedDocument[], options?: WriteOptions): Promise<void> {
    const abortSignal = options?.abortSignal;
    await this.writeQueue.run(async () => {
      await runInSlices(validateDocumentSteps(documents, false));
      const namespace = namespaceOf(options);
      throwIfAborted(abortSignal);
      await runWriteTransactions([this.writeTransaction(documents, namespace, false)], abortSignal);
    });
  }

  /**
   * Throws when one of the documents' ids is already in the namespace (for `add`); yields
   * between documents.
   * @internal
   */
  *absenceCheck(documents: readonly EmbeddedDocument[], namespace: string): SlicedWork<void> {
    const existing = this.segments.get(namespace);
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

  /**
   * The write of validated documents as a transaction (run by the caller, under
   * {@link writeQueue}; the hybrid retriever runs it beside the vector side's).
   * @internal
   */
  writeTransaction(
    documents: readonly EmbeddedDocument[],
    namespace: string,
    unique: boolean,
  ): WriteTransaction {
    const created = !this.segments.has(namespace);
    const segment = this.segment(namespace, true);
    return {
      *prepare() {
        const positions = yield* lastOccurrences(documents, unique);
        for (const position of positions) {
          const document = documents[position] as EmbeddedDocument;
          segment.addPending(document.id, document.text, document.metadata);
          yield;
        }
      },
      commit: () => segment.commitPending(),
      rollback: () => {
        segment.rollbackPending();
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
    const segment = this.segment(namespace, false);
    if (segment === undefined) return 0;
    let deleted = 0;
    for (const id of ids) if (segment.remove(id)) deleted++;
    if (segment.documents.size === 0 && segment.documents.pendingStart < 0)
      this.segments.delete(namespace);
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

  /** {@inheritDoc EmbeddedRetriever.get} */
  get(id: string, options?: NamespaceOptions): EmbeddedDocument | undefined {
    const segment = this.segment(namespaceOf(options), false);
    const slot = segment?.documents.slotOf(id);
    return slot === undefined ? undefined : segment?.documents.document(slot);
  }

  /** {@inheritDoc EmbeddedRetriever.size} */
  size(options?: NamespaceOptions): number {
    if (options?.namespace !== undefined) {
      return this.segment(namespaceOf(options), false)?.documents.size ?? 0;
    }
    let total = 0;
    for (const segment of this.segments.values()) total += segment.documents.size;
    return total;
  }

  /** {@inheritDoc EmbeddedRetriever.namespaces} */
  namespaces(): string[] {
    return [...this.segments.keys()].filter(
      (name) => (this.segments.get(name)?.documents.size ?? 0) > 0,
    );
  }

  /** Finds the `topK` documents with the highest BM25 score that pass the filter. */
  async doRetrieve(options: RetrieveStageV1CallOptions): Promise<RetrieveStageV1Result> {
    const filter = options.filter === undefined ? undefined : compileFilter(options.filter);
    // The search itself is synchronous; one microtask first lets an abort issued right after
    // the call (in the same tick) take effect instead of racing a finished search.
    await Promise.resolve();
    throwIfAborted(options.abortSignal);
    const segment = this.segment(namespaceOf(options), false);
    if (segment === undefined) return { candidates: [] };
    const candidates = segment
      .search(options.query, options.topK, filter)
      .map(({ score, slot }) => ({
        ...segment.documents.document(slot),
        score,
      }));
    return { candidates };
  }

  /** {@inheritDoc EmbeddedRetriever.save} */
  async save(directory: string): Promise<void> {
    await this.writeQueue.run(async () => {
      await this.compactForSave();
      const { sections, state } = this.exportState('');
      await writeIndexDirectory(directory, 'bm25', sections, state);
    });
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

  /**
   * The document store of a namespace (for the hybrid retriever's shared save).
   * @internal
   */
  documentsOf(namespace: string): DocumentSlots | undefined {
    return this.segments.get(namespace)?.documents;
  }

  /**
   * The sections and manifest state of this index, section names prefixed (for hybrid).
   * @internal
   */
  exportState(prefix: string): {
    sections: Record<string, Uint8Array | Uint16Array | Uint32Array | Int32Array>;
    state: Bm25State;
  } {
    const sections: Record<string, Uint8Array | Uint16Array | Uint32Array | Int32Array> = {};
    const namespaces = this.namespaces();
    namespaces.forEach((namespace, index) => {
      let segment = this.segments.get(namespace) as Bm25Segment;
      if (segment.documents.deletedCount > 0) {
        segment = segment.compacted();
        this.segments.set(namespace, segment);
      }
      const sectionPrefix = `${prefix}ns${index}.`;
      Object.assign(sections, documentSections(segment.documents, sectionPrefix));
      const arrays = segment.toArrays();
      const terms = encodeStrings(arrays.terms);
      sections[`${sectionPrefix}terms`] = terms.blob;
      sections[`${sectionPrefix}termEnds`] = terms.ends;
      sections[`${sectionPrefix}postingEnds`] = arrays.postingEnds;
      sections[`${sectionPrefix}postingSlots`] = arrays.postingSlots;
      sections[`${sectionPrefix}postingFrequencies`] = arrays.postingFrequencies;
      sections[`${sectionPrefix}documentLengths`] = arrays.documentLengths;
    });
    const state: Bm25State = {
      k1: this.settings.k1,
      b: this.settings.b,
      analyzer: this.settings.analyzer,
      namespaces,
    };
    return { sections, state };
  }

  /**
   * Rebuilds a retriever from a loaded directory (sections under `prefix`).
   * @internal
   */
  static fromLoaded(loaded: LoadedIndexDirectory, state: unknown, prefix: string): Bm25Retriever {
    const saved = state as Bm25State;
    if (typeof saved !== 'object' || saved === null || !Array.isArray(saved.namespaces)) {
      throw new TypeError('The BM25 state is missing from the manifest.');
    }
    const retriever = new Bm25Retriever({ k1: saved.k1, b: saved.b, analyzer: saved.analyzer });
    saved.namespaces.forEach((namespace, index) => {
      const sectionPrefix = `${prefix}ns${index}.`;
      const documents = readDocumentSections(loaded, sectionPrefix);
      const segment = Bm25Segment.fromArrays(retriever.analyzer, retriever.settings, documents, {
        terms: decodeStrings(
          loaded.section(`${sectionPrefix}terms`, 'u8'),
          loaded.section(`${sectionPrefix}termEnds`, 'u32'),
        ),
        postingEnds: loaded.section(`${sectionPrefix}postingEnds`, 'u32'),
        postingSlots: loaded.section(`${sectionPrefix}postingSlots`, 'i32'),
        postingFrequencies: loaded.section(`${sectionPrefix}postingFrequencies`, 'u16'),
        documentLengths: loaded.section(`${sectionPrefix}documentLengths`, 'u32'),
      });
      retriever.segments.set(namespace, segment);
    });
    return retriever;
  }
}

/**
 * Creates an empty in-memory BM25 retriever (see {@link Bm25Retriever}).
 *
 * @example
 * const retriever = createBm25Retriever({ analyzer: { stopWords: 'english' } });
 * await retriever.add([{ id: 'a', text: 'Early repayment fee', metadata: { lang: 'en' } }]);
 * const { candidates } = await retrieve({ retriever, query: 'repayment', filter: { lang: 'en' } });
 */
export function createBm25Retriever(options: Bm25RetrieverOptions = {}): Bm25Retriever {
  return new Bm25Retriever(options);
}

/**
 * Loads a BM25 index saved by {@link Bm25Retriever.save}.
 *
 * @throws {IndexFormatError} when the directory holds no index, another kind of index, another
 *   format version, or a truncated or damaged file
 */
export async function loadBm25Retriever(directory: string): Promise<Bm25Retriever> {
  const loaded = await readIndexDirectory(directory, ['bm25']);
  return rethrowAsCorrupt(directory, () =>
    Bm25Retriever.fromLoaded(loaded, loaded.manifest.state, ''),
  );
}

/** Runs `build`, turning any failure other than an `IndexFormatError` into a `corrupt` one. */
export function rethrowAsCorrupt<T>(directory: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (IndexFormatError.isInstance(error)) throw error;
    throw new IndexFormatError({
      directory,
      reason: 'corrupt',
      message: `The index could not be rebuilt: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}
