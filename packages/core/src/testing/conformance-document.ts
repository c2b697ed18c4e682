import type { DocumentMetadata } from '../spec/v1/index.js';

/**
 * A document of the corpus that `retrieveStageTests` hands to its factory. The factory must return
 * a retriever holding exactly these documents (its index built, its vectors embedded), each under
 * its `id`, with its `metadata` stored as given.
 */
export type ConformanceDocument = {
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
