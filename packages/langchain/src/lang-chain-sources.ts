import type { DocumentInterface } from '@langchain/core/documents';

/**
 * What twostage needs of a LangChain retriever: its public `invoke(query)`. Every
 * `BaseRetriever` (`vectorStore.asRetriever()`, BM25, your own subclass) has it. A structural
 * type rather than the class, so an app's copy of `@langchain/core` need not be this package's.
 */
export type LangChainRetriever = {
  invoke(query: string): Promise<DocumentInterface[]>;
};

/**
 * What twostage needs of a LangChain vector store: `similaritySearchWithScore(query, k)`, which
 * every `VectorStore` has, returning `[document, score]` pairs.
 */
export type LangChainVectorStore = {
  similaritySearchWithScore(query: string, k?: number): Promise<[DocumentInterface, number][]>;
};
