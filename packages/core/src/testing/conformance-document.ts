import type { MockDocument } from '../mock/mock-document.js';

/**
 * A document of the corpus that `retrieveStageTests` hands to its factory. The factory must return
 * a retriever holding exactly these documents (its index built, its vectors embedded), each under
 * its `id`, with its `metadata` stored as given.
 */
export type ConformanceDocument = MockDocument;
