import type { Document } from '@langchain/core/documents';
import { BaseRetriever } from '@langchain/core/retrievers';

/**
 * A LangChain retriever that answers every query with the same documents, and records the
 * queries, for tests that need an exact order or a misbehaving retriever.
 */
export class ListRetriever extends BaseRetriever {
  lc_namespace = ['twostage', 'test'];
  /** The queries received, oldest first. */
  readonly queries: string[] = [];

  constructor(private readonly answer: (query: string) => Document[] | Promise<Document[]>) {
    super();
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    this.queries.push(query);
    return this.answer(query);
  }
}
