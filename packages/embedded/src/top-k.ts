/**
 * A bounded min-heap of (score, slot) pairs that keeps the `k` best: higher score first, ties
 * to the lower slot (the document added first), so results are deterministic. Typed arrays and
 * no per-candidate object keep a scan of 100k scores allocation-free.
 */
export class TopK {
  readonly k: number;
  private readonly scores: Float64Array;
  private readonly slots: Int32Array;
  private count = 0;

  constructor(k: number) {
    this.k = k;
    this.scores = new Float64Array(k);
    this.slots = new Int32Array(k);
  }

  /** How many entries are held (at most `k`). */
  get size(): number {
    return this.count;
  }

  /** The worst score held when full (what a newcomer must beat), else −∞. */
  get threshold(): number {
    return this.count < this.k ? Number.NEGATIVE_INFINITY : (this.scores[0] as number);
  }

  /**
   * Whether a candidate with this score could still enter. Checked before the costlier tests
   * (liveness, filter), so most of a large scan never reaches them.
   */
  admits(score: number): boolean {
    return this.count < this.k || score >= (this.scores[0] as number);
  }

  /** Offers a candidate; it is kept when it beats the worst held one. */
  push(score: number, slot: number): void {
    if (this.k === 0) return;
    if (this.count < this.k) {
      this.siftUp(this.count++, score, slot);
      return;
    }
    if (!this.better(score, slot, this.scores[0] as number, this.slots[0] as number)) return;
    this.siftDown(score, slot);
  }

  /** The held entries, best first. */
  sorted(): { score: number; slot: number }[] {
    const entries: { score: number; slot: number }[] = [];
    for (let index = 0; index < this.count; index++) {
      entries.push({ score: this.scores[index] as number, slot: this.slots[index] as number });
    }
    return entries.sort((left, right) => right.score - left.score || left.slot - right.slot);
  }

  private better(score: number, slot: number, otherScore: number, otherSlot: number): boolean {
    return score > otherScore || (score === otherScore && slot < otherSlot);
  }

  private siftUp(start: number, score: number, slot: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentScore = this.scores[parent] as number;
      const parentSlot = this.slots[parent] as number;
      // min-heap on "goodness": the worst entry sits at the root
      if (!this.better(parentScore, parentSlot, score, slot)) break;
      this.scores[index] = parentScore;
      this.slots[index] = parentSlot;
      index = parent;
    }
    this.scores[index] = score;
    this.slots[index] = slot;
  }

  private siftDown(score: number, slot: number): void {
    let index = 0;
    const count = this.count;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      const right = left + 1;
      let worst = left;
      if (
        right < count &&
        this.better(
          this.scores[left] as number,
          this.slots[left] as number,
          this.scores[right] as number,
          this.slots[right] as number,
        )
      ) {
        worst = right;
      }
      const worstScore = this.scores[worst] as number;
      const worstSlot = this.slots[worst] as number;
      if (!this.better(score, slot, worstScore, worstSlot)) break;
      this.scores[index] = worstScore;
      this.slots[index] = worstSlot;
      index = worst;
    }
    this.scores[index] = score;
    this.slots[index] = slot;
  }
}
