/**
 * `@twostage/langchain`: twostage inside LangChain.js and LangChain inside twostage. A twostage
 * reranker as a document compressor, any LangChain retriever or vector store as a twostage
 * retrieve stage, and a whole twostage pipeline as a LangChain retriever.
 * @packageDocumentation
 */
export {
  type FromLangChainRetrieverOptions,
  fromLangChainRetriever,
} from './from-lang-chain-retriever.js';
export type { LangChainRetriever, LangChainVectorStore } from './lang-chain-sources.js';
export {
  TwostageDocumentCompressor,
  type TwostageDocumentCompressorOptions,
} from './twostage-document-compressor.js';
export {
  type TwostageDocumentInfo,
  TwostageRetriever,
  type TwostageRetrieverOptions,
} from './twostage-retriever.js';
export { VERSION } from './version.js';
