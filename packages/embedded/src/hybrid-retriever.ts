import type {
  EmbeddingModelV1,
  RetrievedCandidateV1,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result,
} from '@twostage/core';
import { compileFilter, InvalidArgumentError, throwIfAborted } from '@twostage/core';
import { Bm25Retriever } from './bm25-retriever.js';
import { sameDocuments } from './document-sections.js';
import type {
  EmbeddedDocument,
  EmbeddedRetriever,
  NamespaceOptions,
  WriteOptions,
} from './embedded-retriever.js';
import { type LoadedIndexDirectory, writeIndexDirectory } from './index-files.js';
import { checkOptionsObject } from './options/check-options-object.js';
import { runInSlices, type SlicedWork } from './run-in-slices.js';
import { namespaceOf, validateDocumentSteps, validateIds } from './validate-documents.js';
import { type VectorDocument, VectorRetriever } from './vector-retriever.js';
import { runWriteTransactions } from './write-transaction.js';

/** How much each list counts in the fusion. */
export type HybridWeights = {
  /** @default 1 */
  lexical?: number;
  /** @default 1 */
  vector?: number;
};

/** Options of {@link createHybridRetriever}. */
export type HybridRetrieverOptions = {
  /** The lexical side (usually empty: add documents through the hybrid retriever). */
  lexical: Bm25Retriever;
  /** The vector side, holding the same documents as `lexical`. */
  vector: VectorRetriever;
  /**
   * The reciprocal-rank-fusion constant: a document at rank r of a list scores
   * `weight / (k + r)`. Larger k flattens the difference between top ranks.
   * @default 60
   */
  k?: number;
  /** Weights of the two lists. @default { lexical: 1, vector: 1 } */
  weights?: HybridWeights;
  /**
   * How many candidates each side contributes to the fusion, as a multiple of `topK`.
   * @default 2
   */
  candidateMultiplier?: number;
};

/** Every option name of {@link createHybridRetriever}. */
const hybridOptionNames = ['lexical', 'vector', 'k', 'weights', 'candidateMultiplier'] as const;

/** The state a saved hybrid index carries in its manifest. */
type HybridState = {
  k: number;
  weights: Required<HybridWeights>;
  candidateMultiplier: number;
  lexical: unknown;
  vector: unknown;
};

/**
 * A hybrid retriever: BM25 and vector search run side by side and their rankings are merged by
 * weighted reciprocal rank fusion (Cormack et al., 2009). Lexical search catches exact terms —
 * product codes, article numbers — that dense vectors miss; fusing ranks rather than scores needs
 * no calibration between BM25 values and cosines. The fused score is the RRF value.
 */
export class HybridRetriever implements EmbeddedRetriever<VectorDocument> {
  readonly specificationVersion = 'v1';
  readonly provider = 'hybrid';
  readonly modelId: string;
  readonly maxTopK = undefined;
  /** The lexical side. */
  readonly lexical: Bm25Retriever;
  /** The vector side. */
  readonly vector: VectorRetriever;
  /** The fusion settings in force. */
  readonly settings: { k: number; weights: Required<HybridWeights>; candidateMultiplier: number };

  constructor(options: HybridRetrieverOptions) {
    if (options === undefined) {
      throw new InvalidArgumentError({
        argument: 'options',
        message: 'must be an object with lexical and vector retrievers.',
      });
    }
    checkOptionsObject(options, hybridOptionNames, 'createHybridRetriever()', 'options');
    checkOptionsObject(
      options.weights,
      ['lexical', 'vector'],
      'createHybridRetriever()',
      'weights',
    );
    if (!(options.lexical instanceof Bm25Retriever)) {
      throw new InvalidArgumentError({
        argument: 'lexical',
        message: 'must be a retriever from createBm25Retriever().',
      });
    }
    if (!(options.vector instanceof VectorRetriever)) {
      throw new InvalidArgumentError({
        argument: 'vector',
        message: 'must be a retriever from createVectorRetriever().',
      });
    }
    const k = options.k ?? 60;
    const weights = {
      lexical: options.weights?.lexical ?? 1,
      vector: options.weights?.vector ?? 1,
    };
    const candidateMultiplier = options.candidateMultiplier ?? 2;
    if (!Number.isFinite(k) || k < 0) {
      throw new InvalidArgumentError({ argument: 'k', message: `must be a number ≥ 0, got ${k}.` });
    }
    for (const side of ['lexical', 'vector'] as const) {
      if (!Number.isFinite(weights[side]) || weights[side] < 0) {
        throw new InvalidArgumentError({
          argument: `weights.${side}`,
          message: `must be a number ≥ 0, got ${weights[side]}.`,
        });
      }
    }
    if (weights.lexical === 0 && weights.vector === 0) {
      throw new InvalidArgumentError({
        argument: 'weights',
        message:
          'at least one of lexical and vector must be above 0, or every query finds nothing.',
      });
    }
    if (!Number.isFinite(candidateMultiplier) || candidateMultiplier < 1) {
      throw new InvalidArgumentError({
        argument: 'candidateMultiplier',
        message: `must be a number ≥ 1, got ${candidateMultiplier}.`,
      });
    }
    this.lexical = options.lexical;
    this.vector = options.vector;
    this.settings = { k, weights, candidateMultiplier };
    this.modelId = `rrf(k=${k}):${this.lexical.modelId}+${this.vector.modelId}`;
  }

  /** The embedding model of the vector side. */
  get embeddingModel(): EmbeddingModelV1 {
    return this.vector.embeddingModel;
  }

  /**
   * {@inheritDoc EmbeddedRetriever.add}
   *
   * Embeds once, then indexes both sides in slices that give the event loop a turn in between;
   * queries meanwhile see both sides as they were, and the documents appear on both sides in
   * the same turn. A failing or aborted embedding, or an abort between slices, adds nothing.
   */
  async add(documents: readonly VectorDocument[], options?: WriteOptions): Promise<void> {
    await runInSlices(validateDocumentSteps(documents, true));
    const namespace = namespaceOf(options);
    await runInSlices(this.absenceCheck(documents, namespace));
    await this.write(documents, namespace, options?.abortSignal, true);
  }

  /** {@inheritDoc EmbeddedRetriever.upsert} (Sliced and atomic like {@link add}.) */
  async upsert(documents: readonly VectorDocument[], options?: WriteOptions): Promise<void> {
    await runInSlices(validateDocumentSteps(documents, false));
    await this.write(documents, namespaceOf(options), options?.abortSignal, false);
  }

  private *absenceCheck(documents: readonly VectorDocument[], namespace: string): SlicedWork<void> {
    yield* this.lexical.absenceCheck(documents, namespace);
    yield* this.vector.absenceCheck(documents, namespace);
  }

  /** Runs `task` holding both sides' write queues (always lexical first, so never a deadlock). */
  private exclusive<Result>(task: () => Promise<Result>): Promise<Result> {
    return this.lexical.writeQueue.run(() => this.vector.writeQueue.run(task));
  }

  private async write(
    documents: readonly VectorDocument[],
    namespace: string,
    abortSignal: AbortSignal | undefined,
    refuseExisting: boolean,
  ): Promise<void> {
    // Embed first: if the model fails or the call is aborted, neither side has changed.
    const vectors = await this.vector.embedDocuments(documents, abortSignal);
    await this.exclusive(async () => {
      // Another write may have added one of these ids while the model was embedding.
      if (refuseExisting)
        await runInSlices(this.absenceCheck(documents, namespace), { abortSignal });
      // Both sides prepare in slices, then commit in the same turn: a query never sees a
      // document on one side only.
      await runWriteTransactions(
        [
          this.lexical.writeTransaction(documents, namespace, refuseExisting),
          this.vector.writeTransaction(documents, vectors, namespace, refuseExisting),
        ],
        abortSignal,
      );
    });
  }

  /** {@inheritDoc EmbeddedRetriever.delete} */
  async delete(ids: readonly string[], options?: NamespaceOptions): Promise<number> {
    validateIds(ids);
    const namespace = namespaceOf(options);
    return this.exclusive(async () => {
      const lexical = await this.lexical.deleteNow(ids, namespace);
      const vector = await this.vector.deleteNow(ids, namespace);
      return Math.max(lexical, vector);
    });
  }

  /** {@inheritDoc EmbeddedRetriever.get} */
  get(id: string, options?: NamespaceOptions): EmbeddedDocument | undefined {
    return this.lexical.get(id, options) ?? this.vector.get(id, options);
  }

  /** {@inheritDoc EmbeddedRetriever.size} */
  size(options?: NamespaceOptions): number {
    return Math.max(this.lexical.size(options), this.vector.size(options));
  }

  /** {@inheritDoc EmbeddedRetriever.namespaces} */
  namespaces(): string[] {
    return [...new Set([...this.lexical.namespaces(), ...this.vector.namespaces()])];
  }

  /** Runs both sides in parallel and fuses their rankings. */
  async doRetrieve(options: RetrieveStageV1CallOptions): Promise<RetrieveStageV1Result> {
    if (options.filter !== undefined) compileFilter(options.filter);
    throwIfAborted(options.abortSignal);
    const sideOptions: RetrieveStageV1CallOptions = {
      ...options,
      topK: Math.ceil(options.topK * this.settings.candidateMultiplier),
    };
    const [lexical, vector] = await Promise.all([
      this.settings.weights.lexical > 0 ? this.lexical.doRetrieve(sideOptions) : { candidates: [] },
      this.settings.weights.vector > 0 ? this.vector.doRetrieve(sideOptions) : { candidates: [] },
    ]);
    throwIfAborted(options.abortSignal);
    return {
      candidates: fuseRankings(
        [
          { candidates: lexical.candidates, weight: this.settings.weights.lexical },
          { candidates: vector.candidates, weight: this.settings.weights.vector },
        ],
        this.settings.k,
        options.topK,
      ),
    };
  }

  /** {@inheritDoc EmbeddedRetriever.save} */
  async save(directory: string): Promise<void> {
    await this.exclusive(async () => {
      await this.lexical.compactForSave();
      await this.vector.compactForSave();
      await this.saveNow(directory);
    });
  }

  private async saveNow(directory: string): Promise<void> {
    const lexical = this.lexical.exportState('lexical.');
    // Both sides usually hold the same documents: save (and load) them once.
    const vector = this.vector.exportState('vector.', (namespace, documents) => {
      const index = lexical.state.namespaces.indexOf(namespace);
      const lexicalDocuments = this.lexical.documentsOf(namespace);
      return index >= 0 &&
        lexicalDocuments !== undefined &&
        sameDocuments(lexicalDocuments, documents)
        ? `lexical.ns${index}.`
        : undefined;
    });
    const state: HybridState = { ...this.settings, lexical: lexical.state, vector: vector.state };
    await writeIndexDirectory(
      directory,
      'hybrid',
      { ...lexical.sections, ...vector.sections },
      state,
    );
  }

  /**
   * Rebuilds a hybrid retriever from a loaded directory; `vector` comes from
   * `VectorRetriever.prepareLoad` with the prefix `vector.`.
   * @internal
   */
  static fromLoaded(loaded: LoadedIndexDirectory, vector: VectorRetriever): HybridRetriever {
    const state = loaded.manifest.state as HybridState;
    return new HybridRetriever({
      lexical: Bm25Retriever.fromLoaded(loaded, state.lexical, 'lexical.'),
      vector: VectorRetriever.fromLoaded(loaded, state.vector, 'vector.', vector),
      k: state.k,
      weights: state.weights,
      candidateMultiplier: state.candidateMultiplier,
    });
  }
}

/**
 * Weighted reciprocal rank fusion: each list adds `weight / (k + rank)` (rank from 1) to its
 * candidates; the best `topK` by fused score come back, ties broken by the best single rank, then
 * by id.
 */
export function fuseRankings(
  lists: readonly { candidates: readonly RetrievedCandidateV1[]; weight: number }[],
  k: number,
  topK: number,
): RetrievedCandidateV1[] {
  const fused = new Map<
    string,
    { candidate: RetrievedCandidateV1; score: number; bestRank: number }
  >();
  for (const { candidates, weight } of lists) {
    candidates.forEach((candidate, index) => {
      const rank = index + 1;
      const entry = fused.get(candidate.id);
      if (entry === undefined) {
        fused.set(candidate.id, { candidate, score: weight / (k + rank), bestRank: rank });
      } else {
        entry.score += weight / (k + rank);
        entry.bestRank = Math.min(entry.bestRank, rank);
      }
    });
  }
  return [...fused.values()]
    .sort(
      (left, right) =>
        right.score - left.score ||
        left.bestRank - right.bestRank ||
        (left.candidate.id < right.candidate.id
          ? -1
          : left.candidate.id > right.candidate.id
            ? 1
            : 0),
    )
    .slice(0, topK)
    .map(({ candidate, score }) => ({ ...candidate, score }));
}

/**
 * Creates a hybrid (BM25 + vector, reciprocal rank fusion) retriever.
 *
 * @example
 * const retriever = createHybridRetriever({
 *   lexical: createBm25Retriever(),
 *   vector: createVectorRetriever({ embeddingModel }),
 *   weights: { lexical: 1, vector: 1 },
 * });
 * await retriever.add(chunks); // indexed by both sides, embedded once
 */
export function createHybridRetriever(options: HybridRetrieverOptions): HybridRetriever {
  return new HybridRetriever(options);
}
