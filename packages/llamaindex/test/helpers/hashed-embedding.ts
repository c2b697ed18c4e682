import { BaseEmbedding } from '@llamaindex/core/embeddings';

const dimensions = 512;

/**
 * A deterministic stand-in for an embedding model, so a real `VectorStoreIndex` runs offline:
 * each word (Unicode letters and digits, lower-cased, NFC) is hashed (FNV-1a) into one of 512
 * buckets. Cosine similarity of two such vectors is word overlap, so a query finds the node that
 * shares its words, and the scores are checkable.
 */
export class HashedEmbedding extends BaseEmbedding {
  // BaseEmbedding's constructor is protected.
  // biome-ignore lint/complexity/noUselessConstructor: it makes the constructor public
  constructor() {
    super();
  }

  override async getTextEmbedding(text: string): Promise<number[]> {
    const vector = new Array<number>(dimensions).fill(0);
    for (const word of text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []) {
      let hash = 0x811c9dc5;
      for (const unit of word) {
        hash ^= unit.codePointAt(0) ?? 0;
        hash = Math.imul(hash, 0x01000193) >>> 0;
      }
      const bucket = hash % dimensions;
      vector[bucket] = (vector[bucket] ?? 0) + 1;
    }
    return vector;
  }
}
