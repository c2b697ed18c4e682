import { Embeddings } from '@langchain/core/embeddings';

const dimensions = 512;

/**
 * A deterministic stand-in for an embedding model, so LangChain's in-memory vector store runs
 * offline with checkable relevance: each word (Unicode letters and digits, lower-cased, NFC) is
 * hashed (FNV-1a) into one of 512 buckets, so cosine similarity is word overlap.
 */
export class HashedEmbeddings extends Embeddings {
  constructor() {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map(embed);
  }

  async embedQuery(text: string): Promise<number[]> {
    return embed(text);
  }
}

function embed(text: string): number[] {
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
