import { Settings } from '@llamaindex/core/global';
import type { BaseRetriever } from '@llamaindex/core/retriever';
import { type Metadata, TextNode } from '@llamaindex/core/schema';
import { VectorStoreIndex } from 'llamaindex';
import { HashedEmbedding } from './hashed-embedding.js';

/** A document for {@link buildVectorRetriever}: the node's id, text and metadata. */
export type IndexedDocument = { id: string; text: string; metadata?: Metadata };

/**
 * LlamaIndex's own in-memory `VectorStoreIndex` (its simple vector store and doc store) over one
 * `TextNode` per document, each under the document's id, embedded by {@link HashedEmbedding}.
 * Its retriever returns `similarityTopK` nodes, all of them by default.
 */
export async function buildVectorRetriever(
  documents: readonly IndexedDocument[],
  similarityTopK = documents.length,
): Promise<BaseRetriever> {
  Settings.embedModel = new HashedEmbedding();
  const nodes = documents.map(
    (document) =>
      new TextNode({
        id_: document.id,
        text: document.text,
        metadata: structuredClone(document.metadata ?? {}),
      }),
  );
  const index = await VectorStoreIndex.init({ nodes });
  return index.asRetriever({ similarityTopK });
}
