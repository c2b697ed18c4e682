import type { DocumentMetadata, FilterPredicate } from '@twostage/core';
import { DocumentSlots } from './document-slots.js';
import { ensureLength } from './growable.js';
import { runToEnd, type SlicedWork } from './run-in-slices.js';
import type { TextAnalyzer } from './text/tokenize.js';
import { TopK } from './top-k.js';

/** BM25's two parameters. */
export type Bm25Parameters = { k1: number; b: number };

/** The arrays a saved BM25 namespace consists of. */
export type Bm25SegmentArrays = {
  terms: string[];
  postingEnds: Uint32Array;
  postingSlots: Int32Array;
  postingFrequencies: Uint16Array;
  documentLengths: Uint32Array;
};

/**
 * The inverted index of one namespace: per term, parallel typed arrays of slots and term
 * frequencies. A query accumulates scores into one `Float64Array` and keeps the best in a
 * bounded heap, so a common word matching the whole corpus allocates nothing per document.
 */
export class Bm25Segment {
  readonly documents = new DocumentSlots();
  private readonly termIds = new Map<string, number>();
  private terms: string[] = [];
  private postingSlots: Int32Array[] = [];
  private postingFrequencies: Uint16Array[] = [];
  private postingCounts = new Int32Array(0);
  /** Live documents containing each term (BM25's n(q)). */
  private documentFrequencies = new Int32Array(0);
  private documentLengths: Uint32Array = new Uint32Array(0);
  private totalLength = 0;
  /** k1 · (1 − b + b · |D| / avgdl) per slot; rebuilt lazily after writes. */
  private lengthNorms = new Float64Array(0);
  private normsStale = true;
  private scores = new Float64Array(0);
  private touched = new Int32Array(0);

  constructor(
    private readonly analyzer: TextAnalyzer,
    private readonly parameters: Bm25Parameters,
  ) {}

  /** Per-term counts of the document being indexed (scratch, zero between documents). */
  private termCounts = new Int32Array(1024);
  private documentTerms = new Int32Array(256);

  /** The id of `term`, created on first sight. */
  private termId(term: string): number {
    let termId = this.termIds.get(term);
    if (termId === undefined) {
      termId = this.terms.length;
      this.termIds.set(term, termId);
      this.terms.push(term);
      this.postingSlots.push(new Int32Array(4));
      this.postingFrequencies.push(new Uint16Array(4));
      this.postingCounts = ensureLength(this.postingCounts, termId + 1, Int32Array);
      this.documentFrequencies = ensureLength(this.documentFrequencies, termId + 1, Int32Array);
      this.pendingFrequencies = ensureLength(this.pendingFrequencies, termId + 1, Int32Array);
      this.termCounts = ensureLength(this.termCounts, termId + 1, Int32Array);
    }
    return termId;
  }

  /** Indexes a document under a new slot (the caller removed any previous version). */
  add(id: string, text: string, metadata: DocumentMetadata | undefined): void {
    const slot = this.documents.append(id, text, metadata);
    this.totalLength += this.index(slot, text, 'live');
    this.normsStale = true;
  }

  /**
   * Document-frequency changes of the write being prepared (applied at commit), so that
   * queries in the meantime score exactly as before it.
   */
  private pendingFrequencies = new Int32Array(0);
  private pendingLength = 0;

  /**
   * Indexes a document of a write being prepared ({@link DocumentSlots.appendPending}): its
   * postings are written now, but its slot stays dead and the statistics (n(q), total length)
   * unchanged until {@link commitPending}, so concurrent queries see the index as it was.
   */
  addPending(id: string, text: string, metadata: DocumentMetadata | undefined): void {
    const { slot, replaces } = this.documents.appendPending(id, text, metadata);
    this.pendingLength += this.index(slot, text, 'pending');
    if (replaces !== undefined) {
      this.pendingLength -= this.documentLengths[replaces] as number;
      for (const term of new Set(this.analyzer(this.documents.texts[replaces] as string))) {
        const termId = this.termIds.get(term);
        if (termId !== undefined) {
          this.pendingFrequencies[termId] = (this.pendingFrequencies[termId] as number) - 1;
        }
      }
    }
  }

  /** Publishes the pending write: its documents become live, the statistics updated. */
  commitPending(): void {
    this.documents.commitPending();
    const frequencies = this.pendingFrequencies;
    for (let termId = 0; termId < this.terms.length; termId++) {
      const delta = frequencies[termId] as number;
      if (delta !== 0) {
        this.documentFrequencies[termId] = (this.documentFrequencies[termId] as number) + delta;
      }
    }
    frequencies.fill(0);
    this.totalLength += this.pendingLength;
    this.pendingLength = 0;
    this.normsStale = true;
  }

  /**
   * Drops the pending write. Its postings stay behind pointing at dead slots (skipped by every
   * query, removed by the next compaction); the statistics never saw it.
   */
  rollbackPending(): void {
    this.documents.rollbackPending();
    this.pendingFrequencies.fill(0);
    this.pendingLength = 0;
  }

  /**
   * Writes the postings of `text` under `slot` and its length; counts each distinct term once
   * into the live n(q) or into the pending changes. Returns the number of tokens.
   */
  private index(slot: number, text: string, counts: 'live' | 'pending'): number {
    const tokens = this.analyzer(text);
    // Count term ids in a scratch array rather than a Map per document: one hash lookup per token.
    let uniqueTerms = 0;
    for (const token of tokens) {
      const termId = this.termId(token);
      const count = this.termCounts[termId] as number;
      if (count === 0) {
        this.documentTerms = ensureLength(this.documentTerms, uniqueTerms + 1, Int32Array);
        this.documentTerms[uniqueTerms++] = termId;
      }
      this.termCounts[termId] = count + 1;
    }
    this.documentLengths = ensureLength(this.documentLengths, slot + 1, Uint32Array);
    this.documentLengths[slot] = tokens.length;
    // Read after the tokens: a new term grows (replaces) both arrays.
    const counted = counts === 'live' ? this.documentFrequencies : this.pendingFrequencies;
    for (let index = 0; index < uniqueTerms; index++) {
      const termId = this.documentTerms[index] as number;
      const frequency = this.termCounts[termId] as number;
      this.termCounts[termId] = 0;
      const count = this.postingCounts[termId] as number;
      let slots = this.postingSlots[termId] as Int32Array;
      if (count === slots.length) {
        slots = ensureLength(slots, count + 1, Int32Array);
        this.postingSlots[termId] = slots;
        this.postingFrequencies[termId] = ensureLength(
          this.postingFrequencies[termId] as Uint16Array,
          slots.length,
          Uint16Array,
        );
      }
      slots[count] = slot;
      (this.postingFrequencies[termId] as Uint16Array)[count] = Math.min(frequency, 65_535);
      this.postingCounts[termId] = count + 1;
      counted[termId] = (counted[termId] as number) + 1;
    }
    return tokens.length;
  }

  /** Deletes a document; its postings stay as tombstones until {@link compacted}. */
  remove(id: string): boolean {
    const slot = this.documents.remove(id);
    if (slot === undefined) return false;
    this.totalLength -= this.documentLengths[slot] as number;
    // n(q) counts live documents only, so the scores match a fresh index of the live corpus.
    for (const term of new Set(this.analyzer(this.documents.texts[slot] as string))) {
      const termId = this.termIds.get(term);
      if (termId !== undefined) {
        this.documentFrequencies[termId] = (this.documentFrequencies[termId] as number) - 1;
      }
    }
    this.normsStale = true;
    return true;
  }

  /** Whether enough tombstones piled up to be worth a rebuild. */
  get needsCompaction(): boolean {
    const deleted = this.documents.deletedCount;
    return deleted > 1000 && deleted > this.documents.size;
  }

  /** A fresh segment holding only the live documents, in their order. */
  compacted(): Bm25Segment {
    return runToEnd(this.compactedSteps());
  }

  /** {@link compacted} as sliced work: yields between documents. */
  *compactedSteps(): SlicedWork<Bm25Segment> {
    const segment = new Bm25Segment(this.analyzer, this.parameters);
    for (const slot of this.documents.liveSlots()) {
      const document = this.documents.document(slot);
      segment.add(document.id, document.text, document.metadata);
      yield;
    }
    return segment;
  }

  private refreshNorms(): void {
    const slotCount = this.documents.slotCount;
    if (this.lengthNorms.length < slotCount)
      this.lengthNorms = new Float64Array(this.documents.alive.length);
    const live = this.documents.size;
    const averageLength = live === 0 ? 1 : this.totalLength / live || 1;
    const { k1, b } = this.parameters;
    for (let slot = 0; slot < slotCount; slot++) {
      this.lengthNorms[slot] =
        k1 * (1 - b + (b * (this.documentLengths[slot] as number)) / averageLength);
    }
    this.normsStale = false;
  }

  /** The inverse document frequency of a term with document frequency `n` among `total`. */
  static idf(total: number, n: number): number {
    return Math.log(1 + (total - n + 0.5) / (n + 0.5));
  }

  /**
   * The `topK` best live slots for `query` that pass `filter`, best first. A query term repeated
   * counts once per occurrence, as in the textbook sum over query terms.
   */
  search(
    query: string,
    topK: number,
    filter: FilterPredicate | undefined,
  ): { score: number; slot: number }[] {
    if (this.documents.size === 0) return [];
    if (this.normsStale) this.refreshNorms();
    const queryCounts = new Map<number, number>();
    for (const token of this.analyzer(query)) {
      const termId = this.termIds.get(token);
      if (termId !== undefined) queryCounts.set(termId, (queryCounts.get(termId) ?? 0) + 1);
    }
    if (queryCounts.size === 0) return [];
    const slotCount = this.documents.slotCount;
    if (this.scores.length < slotCount) {
      this.scores = new Float64Array(this.documents.alive.length);
      this.touched = new Int32Array(this.documents.alive.length);
    }
    const scores = this.scores;
    const touched = this.touched;
    const norms = this.lengthNorms;
    const live = this.documents.size;
    const k1PlusOne = this.parameters.k1 + 1;
    let touchedCount = 0;
    for (const [termId, queryFrequency] of queryCounts) {
      const n = this.documentFrequencies[termId] as number;
      if (n <= 0) continue;
      const weight = Bm25Segment.idf(live, n) * k1PlusOne * queryFrequency;
      const slots = this.postingSlots[termId] as Int32Array;
      const frequencies = this.postingFrequencies[termId] as Uint16Array;
      const count = this.postingCounts[termId] as number;
      for (let posting = 0; posting < count; posting++) {
        const slot = slots[posting] as number;
        const frequency = frequencies[posting] as number;
        const previous = scores[slot] as number;
        if (previous === 0) touched[touchedCount++] = slot;
        scores[slot] = previous + (weight * frequency) / (frequency + (norms[slot] as number));
      }
    }
    // Never more entries than live documents: a huge topK must not allocate a huge heap.
    const best = new TopK(Math.min(topK, this.documents.size));
    const alive = this.documents.alive;
    const metadata = this.documents.metadata;
    for (let index = 0; index < touchedCount; index++) {
      const slot = touched[index] as number;
      const score = scores[slot] as number;
      scores[slot] = 0;
      if (!best.admits(score) || alive[slot] === 0) continue;
      if (filter !== undefined && !filter(metadata[slot])) continue;
      best.push(score, slot);
    }
    return best.sorted();
  }

  /** The arrays to save (call on a segment without tombstones). */
  toArrays(): Bm25SegmentArrays {
    const postingEnds = new Uint32Array(this.terms.length);
    let total = 0;
    for (let termId = 0; termId < this.terms.length; termId++) {
      total += this.postingCounts[termId] as number;
      postingEnds[termId] = total;
    }
    const postingSlots = new Int32Array(total);
    const postingFrequencies = new Uint16Array(total);
    let start = 0;
    for (let termId = 0; termId < this.terms.length; termId++) {
      const count = this.postingCounts[termId] as number;
      postingSlots.set((this.postingSlots[termId] as Int32Array).subarray(0, count), start);
      postingFrequencies.set(
        (this.postingFrequencies[termId] as Uint16Array).subarray(0, count),
        start,
      );
      start += count;
    }
    return {
      terms: this.terms,
      postingEnds,
      postingSlots,
      postingFrequencies,
      documentLengths: this.documentLengths.slice(0, this.documents.slotCount),
    };
  }

  /**
   * Rebuilds a segment from saved arrays without re-tokenising: postings become views of the
   * loaded buffer (copied on first growth), so loading is a few typed-array views.
   */
  static fromArrays(
    analyzer: TextAnalyzer,
    parameters: Bm25Parameters,
    documents: { ids: string[]; texts: string[]; metadata: (DocumentMetadata | undefined)[] },
    arrays: Bm25SegmentArrays,
  ): Bm25Segment {
    const segment = new Bm25Segment(analyzer, parameters);
    documents.ids.forEach((id, slot) => {
      segment.documents.append(id, documents.texts[slot] as string, documents.metadata[slot]);
    });
    const termCount = arrays.terms.length;
    segment.terms = arrays.terms;
    segment.postingCounts = new Int32Array(termCount);
    segment.documentFrequencies = new Int32Array(termCount);
    segment.pendingFrequencies = new Int32Array(termCount);
    segment.termCounts = new Int32Array(termCount + 1024);
    let start = 0;
    for (let termId = 0; termId < termCount; termId++) {
      const end = arrays.postingEnds[termId] as number;
      segment.termIds.set(arrays.terms[termId] as string, termId);
      segment.postingSlots.push(arrays.postingSlots.subarray(start, end));
      segment.postingFrequencies.push(arrays.postingFrequencies.subarray(start, end));
      segment.postingCounts[termId] = end - start;
      segment.documentFrequencies[termId] = end - start;
      start = end;
    }
    segment.documentLengths = arrays.documentLengths;
    let totalLength = 0;
    for (const length of arrays.documentLengths) totalLength += length;
    segment.totalLength = totalLength;
    return segment;
  }
}
