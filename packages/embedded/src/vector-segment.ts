import type { DocumentMetadata, FilterPredicate } from '@twostage/core';
import { DocumentSlots } from './document-slots.js';
import { IvfIndex, type IvfSettings } from './ivf-index.js';
import { minimumBoundedScale, QuantizedRows } from './quantized-rows.js';
import { runToEnd, type SlicedWork } from './run-in-slices.js';
import { TopK } from './top-k.js';
import { VectorKernel } from './vector-kernel.js';

/** How a namespace is searched: always exact, approximate (IVF) when large, or auto. */
export type VectorIndexMode = 'exact' | 'approximate' | 'auto';

/** Settings a vector segment needs. */
export type VectorSegmentSettings = {
  dimensions: number;
  /** Normalise stored vectors and queries (cosine), or keep them as given (dot). */
  normalize: boolean;
  mode: VectorIndexMode;
  /** Live documents from which `auto` builds the approximate index. */
  approximateThreshold: number;
  ivf: IvfSettings;
};

/** Below this many documents an IVF index is pointless: exact search is already sub-millisecond. */
const minimumApproximateSize = 1000;

/**
 * From this many rows, exact search runs an int8 pass first and rescores only the rows that can
 * still make the top-K; below it the float rows fit in cache and one float pass is faster.
 */
export const twoPassExactFrom = 8192;

/**
 * The vectors of one namespace: rows in a {@link VectorKernel}, slots shared with the document
 * store, and an optional IVF index built once the namespace is large enough.
 */
export class VectorSegment {
  readonly documents = new DocumentSlots();
  readonly kernel: VectorKernel;
  /** The int8 copy of the rows for the first pass of large exact scans. */
  readonly quantized: QuantizedRows;
  ivf: IvfIndex | undefined;

  constructor(private readonly settings: VectorSegmentSettings) {
    this.kernel = new VectorKernel(settings.dimensions);
    this.quantized = new QuantizedRows(settings.dimensions, this.kernel.stride);
  }

  /** Stores a document and its vector under a new slot (the caller removed any old version). */
  add(
    id: string,
    text: string,
    metadata: DocumentMetadata | undefined,
    vector: ArrayLike<number>,
  ): void {
    const slot = this.documents.append(id, text, metadata);
    this.writeRow(slot, vector);
  }

  /**
   * Stores a document of a write being prepared ({@link DocumentSlots.appendPending}): its row
   * is written (and filed in the current IVF lists) but its slot stays dead until
   * {@link commitPending}.
   */
  addPending(
    id: string,
    text: string,
    metadata: DocumentMetadata | undefined,
    vector: ArrayLike<number>,
  ): void {
    const { slot } = this.documents.appendPending(id, text, metadata);
    this.writeRow(slot, vector);
  }

  private writeRow(slot: number, vector: ArrayLike<number>): void {
    let scale = 1;
    if (this.settings.normalize) {
      let sum = 0;
      for (let index = 0; index < this.settings.dimensions; index++)
        sum += (vector[index] as number) ** 2;
      scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    }
    this.kernel.setRow(slot, vector, scale);
    this.quantized.setRow(slot, this.kernel.row(slot));
    this.ivf?.assign(this.kernel.row(slot), slot);
  }

  /**
   * The IVF index the namespace should have once the pending write is committed, built in
   * slices: none below the threshold, a new one when there is none yet or the namespace
   * doubled since training (the centroids would no longer fit the data), else the current one
   * (which the pending rows were filed into). Queries keep using the current index meanwhile.
   */
  *indexAfterCommit(): SlicedWork<IvfIndex | undefined> {
    const size = this.documents.sizeAfterCommit;
    if (!this.wantsApproximate(size)) return undefined;
    if (this.ivf !== undefined && size < 2 * this.ivf.trainedSize) return this.ivf;
    return yield* IvfIndex.trainSteps(
      this.kernel,
      this.documents.liveSlotsAfterCommit(),
      this.settings.ivf,
    );
  }

  /** Publishes the pending write, with the index {@link indexAfterCommit} returned. */
  commitPending(ivf: IvfIndex | undefined): void {
    this.documents.commitPending();
    this.ivf = ivf;
  }

  /** Drops the pending write (its rows stay behind in dead slots until compaction). */
  rollbackPending(): void {
    this.documents.rollbackPending();
  }

  /** Deletes a document (a tombstone until compaction). */
  remove(id: string): boolean {
    return this.documents.remove(id) !== undefined;
  }

  /** Whether the approximate index should be used (and so exist) at this size. */
  private wantsApproximate(size = this.documents.size): boolean {
    if (this.settings.mode === 'exact' || size < minimumApproximateSize) return false;
    return this.settings.mode === 'approximate' || size >= this.settings.approximateThreshold;
  }

  /** Whether enough tombstones piled up to be worth compacting. */
  get needsCompaction(): boolean {
    const deleted = this.documents.deletedCount;
    return deleted > 1000 && deleted > this.documents.size;
  }

  /** A segment holding only the live documents (rows copied, IVF lists renumbered). */
  compacted(): VectorSegment {
    return runToEnd(this.compactedSteps());
  }

  /** {@link compacted} as sliced work: yields between rows and between IVF lists. */
  *compactedSteps(): SlicedWork<VectorSegment> {
    const segment = new VectorSegment(this.settings);
    const live = this.documents.liveSlots();
    segment.kernel.reserve(live.length);
    const mapping = new Int32Array(this.documents.slotCount).fill(-1);
    for (let next = 0; next < live.length; next++) {
      const slot = live[next] as number;
      const document = this.documents.document(slot);
      segment.documents.append(document.id, document.text, document.metadata);
      segment.kernel.row(next).set(this.kernel.row(slot));
      segment.quantized.setRow(next, segment.kernel.row(next));
      mapping[slot] = next;
      yield;
    }
    if (this.ivf !== undefined) segment.ivf = yield* this.ivf.remappedSteps(mapping);
    return segment;
  }

  /** Normalises a query like the stored vectors. */
  prepareQuery(query: ArrayLike<number>): Float32Array {
    const prepared = Float32Array.from(
      { length: this.settings.dimensions },
      (_, index) => query[index] ?? 0,
    );
    if (this.settings.normalize) {
      let sum = 0;
      for (const value of prepared) sum += value * value;
      if (sum > 0) {
        const scale = 1 / Math.sqrt(sum);
        for (let index = 0; index < prepared.length; index++)
          prepared[index] = (prepared[index] as number) * scale;
      }
    }
    return prepared;
  }

  /**
   * The `topK` best live slots for a prepared query, best first. `approximate` uses the IVF index
   * when there is one; if it finds fewer than `topK` (a selective filter), the exact scan runs,
   * so a filter never silently loses matches.
   */
  search(
    query: Float32Array,
    topK: number,
    filter: FilterPredicate | undefined,
    approximate: boolean,
  ): { score: number; slot: number }[] {
    if (this.documents.size === 0) return [];
    // Never more entries than live documents: a huge topK must not allocate a huge heap.
    const k = Math.min(topK, this.documents.size);
    if (approximate && this.ivf !== undefined) {
      const found = this.ivf.search(
        this.kernel,
        query,
        k,
        this.documents.alive,
        this.documents.metadata,
        filter,
      );
      if (found.length >= k) return found;
    }
    return this.exact(query, k, filter);
  }

  private exact(
    query: Float32Array,
    topK: number,
    filter: FilterPredicate | undefined,
  ): { score: number; slot: number }[] {
    const count = this.documents.slotCount;
    if (count >= twoPassExactFrom) return this.twoPassExact(query, topK, filter);
    const scores = this.kernel.dots(query, count);
    const alive = this.documents.alive;
    const metadata = this.documents.metadata;
    const best = new TopK(topK);
    for (let slot = 0; slot < count; slot++) {
      const score = scores[slot] as number;
      if (!best.admits(score) || alive[slot] === 0) continue;
      if (filter !== undefined && !filter(metadata[slot])) continue;
      best.push(score, slot);
    }
    return best.sorted();
  }

  /**
   * Exact search in two passes: the int8 scan gives each row an approximate score with a proven
   * error bound; every row whose upper bound reaches the k-th best lower bound is rescored with
   * the float kernel. A row left out has an upper bound below k rows' lower bounds, so it cannot
   * be in the top-K: the result equals the full float scan's, for a quarter of its memory traffic.
   */
  private twoPassExact(
    query: Float32Array,
    topK: number,
    filter: FilterPredicate | undefined,
  ): { score: number; slot: number }[] {
    const count = this.documents.slotCount;
    const { sums, queryScale, errorPerScale, errorPerNorm, errorConstant } = this.quantized.scan(
      query,
      count,
    );
    const scales = this.quantized.scales;
    const norms = this.quantized.norms;
    const alive = this.documents.alive;
    const metadata = this.documents.metadata;
    const lowerBounds = new TopK(topK);
    // One pass: a row whose upper bound is below the k-th best lower bound seen so far can never
    // reach the final one (which only rises), so it is skipped at once; the others are kept with
    // their upper bound and filtered against the final k-th lower bound afterwards.
    let threshold = Number.NEGATIVE_INFINITY;
    const kept: number[] = [];
    const upperBounds: number[] = [];
    // Rows too small for a trustworthy int8 bound (see `minimumBoundedScale`) are always
    // rescored; they never set a lower bound.
    const unbounded: number[] = [];
    for (let slot = 0; slot < count; slot++) {
      const scale = scales[slot] as number;
      if (scale < minimumBoundedScale) {
        if (alive[slot] === 1 && (filter === undefined || filter(metadata[slot])))
          unbounded.push(slot);
        continue;
      }
      const approximate = (sums[slot] as number) * scale * queryScale;
      const error = errorPerScale * scale + errorPerNorm * (norms[slot] as number) + errorConstant;
      if (approximate + error < threshold || alive[slot] === 0) continue;
      if (filter !== undefined && !filter(metadata[slot])) continue;
      lowerBounds.push(approximate - error, slot);
      threshold = lowerBounds.threshold;
      kept.push(slot);
      upperBounds.push(approximate + error);
    }
    const candidates: number[] = unbounded;
    kept.forEach((slot, index) => {
      if ((upperBounds[index] as number) >= threshold) candidates.push(slot);
    });
    const slots = Int32Array.from(candidates);
    const scores = this.kernel.gatherDots(query, slots);
    const best = new TopK(topK);
    for (let index = 0; index < slots.length; index++) {
      best.push(scores[index] as number, slots[index] as number);
    }
    this.lastCandidateCount = slots.length;
    return best.sorted();
  }

  /** Rows rescored by the last two-pass exact search (for the bench and tests). */
  lastCandidateCount = 0;

  /** Whether a query in this mode would use the approximate index. */
  get usesApproximate(): boolean {
    return this.ivf !== undefined;
  }
}
