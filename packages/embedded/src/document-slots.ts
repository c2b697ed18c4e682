import type { DocumentMetadata } from '@twostage/core';
import { ensureLength } from './growable.js';
import { ShardedMap } from './sharded-map.js';

/** A document as stored in an embedded index (metadata frozen, never the caller's object). */
export type StoredDocument = {
  id: string;
  text: string;
  metadata?: DocumentMetadata;
};

function freezeMetadata(metadata: DocumentMetadata): DocumentMetadata {
  const copy: DocumentMetadata = {};
  for (const [key, value] of Object.entries(metadata)) {
    // defineProperty, not assignment: a key named `__proto__` must stay an ordinary field.
    Object.defineProperty(copy, key, {
      value: Array.isArray(value) ? Object.freeze([...value]) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return Object.freeze(copy);
}

/**
 * The documents of one namespace, by slot. A slot is the document's position in the index
 * structures (postings, vector rows); deleting leaves a tombstone until the owner compacts, so
 * slots of live documents never move between compactions.
 */
export class DocumentSlots {
  readonly ids: string[] = [];
  readonly texts: string[] = [];
  readonly metadata: (DocumentMetadata | undefined)[] = [];
  /** 1 for a live slot, 0 for a tombstone. */
  alive = new Uint8Array(0);
  /** Sharded: one `Map` of a million ids would rehash them all in one step as it grows. */
  private readonly slotById = new ShardedMap<number>();
  private liveCount = 0;

  /** Slots used, tombstones included. */
  get slotCount(): number {
    return this.ids.length;
  }

  /** Live documents. */
  get size(): number {
    return this.liveCount;
  }

  /** Tombstones waiting for compaction. */
  get deletedCount(): number {
    return this.ids.length - this.liveCount;
  }

  /** The live slot holding `id`, if any (a document of a write not yet committed is not). */
  slotOf(id: string): number | undefined {
    const slot = this.slotById.get(id);
    return slot !== undefined && this.alive[slot] === 1 ? slot : undefined;
  }

  /** First slot of the write being prepared, or −1 when none is. */
  private pendingFrom = -1;
  /** Pending slots whose id already has a live slot (an upsert replacing it at commit). */
  private readonly pendingReplacements: number[] = [];

  /** First slot of the write being prepared, or −1 when none is. */
  get pendingStart(): number {
    return this.pendingFrom;
  }

  /**
   * Appends a document of a write being prepared: it gets a slot (rows and postings can be
   * written for it) but stays invisible — not live, not found by id, not counted — until
   * {@link commitPending}. The batch must not repeat an id. Returns the slot and the live slot
   * this document will replace, if any.
   */
  appendPending(
    id: string,
    text: string,
    metadata: DocumentMetadata | undefined,
  ): { slot: number; replaces: number | undefined } {
    const slot = this.ids.length;
    if (this.pendingFrom < 0) this.pendingFrom = slot;
    this.ids.push(id);
    this.texts.push(text);
    this.metadata.push(metadata === undefined ? undefined : freezeMetadata(metadata));
    this.alive = ensureLength(this.alive, slot + 1, Uint8Array);
    this.alive[slot] = 0;
    const replaces = this.slotOf(id);
    if (replaces === undefined) this.slotById.set(id, slot);
    else this.pendingReplacements.push(slot);
    return { slot, replaces };
  }

  /** Live documents once the pending write is committed. */
  get sizeAfterCommit(): number {
    if (this.pendingFrom < 0) return this.liveCount;
    return this.liveCount + this.ids.length - this.pendingFrom - this.pendingReplacements.length;
  }

  /** The slots live once the pending write is committed, in slot order. */
  liveSlotsAfterCommit(): number[] {
    const replaced = new Uint8Array(this.ids.length);
    for (const slot of this.pendingReplacements) {
      replaced[this.slotById.get(this.ids[slot] as string) as number] = 1;
    }
    const slots = this.liveSlots().filter((slot) => replaced[slot] === 0);
    if (this.pendingFrom >= 0) {
      for (let slot = this.pendingFrom; slot < this.ids.length; slot++) slots.push(slot);
    }
    return slots;
  }

  /**
   * Publishes the pending write in one step: its documents become live and replace the older
   * versions of their ids. Costs a fill plus one map update per replaced id.
   */
  commitPending(): void {
    if (this.pendingFrom < 0) return;
    for (const slot of this.pendingReplacements) {
      const id = this.ids[slot] as string;
      const previous = this.slotById.get(id) as number;
      this.alive[previous] = 0;
      this.liveCount--;
      this.slotById.set(id, slot);
    }
    this.alive.fill(1, this.pendingFrom, this.ids.length);
    this.liveCount += this.ids.length - this.pendingFrom;
    this.pendingFrom = -1;
    this.pendingReplacements.length = 0;
  }

  /**
   * Drops the pending write: its slots stay behind as tombstones (removed by the next
   * compaction), their texts released; nothing visible changes.
   */
  rollbackPending(): void {
    if (this.pendingFrom < 0) return;
    for (let slot = this.pendingFrom; slot < this.ids.length; slot++) {
      const id = this.ids[slot] as string;
      if (this.slotById.get(id) === slot) this.slotById.delete(id);
      this.texts[slot] = '';
      this.metadata[slot] = undefined;
    }
    this.pendingFrom = -1;
    this.pendingReplacements.length = 0;
  }

  /**
   * Appends a document and returns its slot. The caller removes any previous version first.
   * Metadata is copied and frozen: the caller's object is never kept, and results can hand the
   * stored copy out without a further copy.
   */
  append(id: string, text: string, metadata: DocumentMetadata | undefined): number {
    const slot = this.ids.length;
    this.ids.push(id);
    this.texts.push(text);
    this.metadata.push(metadata === undefined ? undefined : freezeMetadata(metadata));
    this.alive = ensureLength(this.alive, slot + 1, Uint8Array);
    this.alive[slot] = 1;
    this.slotById.set(id, slot);
    this.liveCount++;
    return slot;
  }

  /** Marks the document `id` deleted; returns its slot, or undefined when absent. */
  remove(id: string): number | undefined {
    const slot = this.slotById.get(id);
    if (slot === undefined) return undefined;
    this.slotById.delete(id);
    this.alive[slot] = 0;
    this.liveCount--;
    return slot;
  }

  /** The document in `slot` (live or not). */
  document(slot: number): StoredDocument {
    const metadata = this.metadata[slot];
    const document: StoredDocument = {
      id: this.ids[slot] as string,
      text: this.texts[slot] as string,
    };
    if (metadata !== undefined) document.metadata = metadata;
    return document;
  }

  /** The live slots, in slot order. */
  liveSlots(): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) if (this.alive[slot] === 1) slots.push(slot);
    return slots;
  }
}
