import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HashedEmbeddings } from './hashed-embeddings.js';

/** A document for {@link buildMemoryStore}: the id, text and metadata. */
export type StoredDocument = { id: string; text: string; metadata?: Record<string, unknown> };

/**
 * LangChain's own in-memory vector store over one `Document` per entry, each under its id,
 * embedded by {@link HashedEmbeddings} unless other embeddings are given.
 */
export async function buildMemoryStore(
  documents: readonly StoredDocument[],
  embeddings: EmbeddingsInterface = new HashedEmbeddings(),
): Promise<MemoryVectorStore> {
  const store = new MemoryVectorStore(embeddings);
  await store.addDocuments(
    documents.map(
      (document) =>
        new Document({
          id: document.id,
          pageContent: document.text,
          metadata: structuredClone(document.metadata ?? {}),
        }),
    ),
  );
  return store;
}
