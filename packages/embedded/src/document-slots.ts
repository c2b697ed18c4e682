import type { DocumentMetadata } from '@twostage/core';
import { ensureLength } from './growable.js';

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
  private readonly slotById = new Map<string, number>();
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

  /** The live slot holding `id`, if any. */
  slotOf(id: string): number | undefined {
    return this.slotById.get(id);
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
