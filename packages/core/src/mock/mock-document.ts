import type { DocumentMetadata } from '../spec/v1/index.js';

/**
 * A document of a `MockRetrieveStage`'s corpus, and of the corpus that `retrieveStageTests`
 * (in `@twostage/core/testing`) hands to its factory.
 */
export type MockDocument = {
  id: string;
  text: string;
  metadata?: DocumentMetadata;
  /**
   * The partition to store the document in; the default partition when absent. Only the
   * namespace checks (capability `namespaces`) set it, so a retriever without namespaces can
   * ignore it.
   */
  namespace?: string;
};
