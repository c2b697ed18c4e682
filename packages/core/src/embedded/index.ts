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
export type { IvfSettings } from './ivf-index.js';
export {
  type AnyEmbeddedRetriever,
  type LoadEmbeddedRetrieverOptions,
  loadEmbeddedRetriever,
  loadHybridRetriever,
  loadVectorRetriever,
} from './load-embedded-retriever.js';
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
