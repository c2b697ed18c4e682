/**
 * `@twostage/embedded`: the default stage 1, in-process — BM25, exact and IVF vector search,
 * hybrid fusion, text analysis and atomic index files. Core's registry finds it by name for the
 * references `bm25:<dir>`, `vector:<dir>`, `hybrid:<dir>` and `memory`.
 * @packageDocumentation
 */
export {
  Bm25Retriever,
  type Bm25RetrieverOptions,
  createBm25Retriever,
  loadBm25Retriever,
} from './bm25-retriever.js';
export {
  bm25Provider,
  type EmbeddedProviderModule,
  embeddedProvider,
  hybridProvider,
  vectorProvider,
} from './embedded-provider.js';
export {
  defaultNamespace,
  type EmbeddedDocument,
  type EmbeddedRetriever,
  type NamespaceOptions,
  type WriteOptions,
} from './embedded-retriever.js';
export {
  createHybridRetriever,
  fuseRankings,
  HybridRetriever,
  type HybridRetrieverOptions,
  type HybridWeights,
} from './hybrid-retriever.js';
export { type EmbeddedIndexKind, indexFormatVersion } from './index-files.js';
export { IndexFormatError } from './index-format-error.js';
export { IndexWriteError } from './index-write-error.js';
export type { IvfSettings } from './ivf-index.js';
export {
  type AnyEmbeddedRetriever,
  type LoadEmbeddedRetrieverOptions,
  loadEmbeddedRetriever,
  loadHybridRetriever,
  loadVectorRetriever,
} from './load-embedded-retriever.js';
export { memoryProvider } from './memory-provider.js';
export * from './text/index.js';
export { isSimdKernelAvailable } from './vector-kernel.js';
export {
  createVectorRetriever,
  type SavedEmbeddingModel,
  type SearchByVectorOptions,
  type VectorDocument,
  VectorRetriever,
  type VectorRetrieverOptions,
} from './vector-retriever.js';
export type { VectorIndexMode } from './vector-segment.js';
