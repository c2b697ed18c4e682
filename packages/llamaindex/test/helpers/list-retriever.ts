import type { QueryBundle } from '@llamaindex/core/query-engine';
import { BaseRetriever } from '@llamaindex/core/retriever';
import type { NodeWithScore } from '@llamaindex/core/schema';

/**
 * A LlamaIndex retriever that answers every query with the same nodes, and records the queries,
 * for tests that need exact scores, missing scores or a misbehaving retriever.
 */
export class ListRetriever extends BaseRetriever {
  /** The query bundles received, oldest first. */
  readonly queries: QueryBundle[] = [];

  constructor(
    private readonly answer: (query: QueryBundle) => NodeWithScore[] | Promise<NodeWithScore[]>,
  ) {
    super();
  }

  async _retrieve(params: QueryBundle): Promise<NodeWithScore[]> {
    this.queries.push(params);
    return this.answer(params);
  }
}
