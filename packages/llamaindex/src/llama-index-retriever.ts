import type { QueryType } from '@llamaindex/core/query-engine';
import type { NodeWithScore } from '@llamaindex/core/schema';

/**
 * What twostage needs of a LlamaIndex retriever: its public `retrieve`. Every `BaseRetriever`
 * (`index.asRetriever()`, a vector store's retriever, your own subclass) has it. A structural
 * type rather than the class, because a class with protected members matches only its own copy
 * of `@llamaindex/core`, and an app may hold two.
 */
export type LlamaIndexRetriever = {
  retrieve(params: QueryType): Promise<NodeWithScore[]>;
};
