/**
 * `@twostage/llamaindex`: twostage inside LlamaIndex.TS and LlamaIndex inside twostage. A
 * twostage reranker as a node postprocessor, any LlamaIndex retriever as a twostage retrieve
 * stage, and a whole twostage pipeline as a LlamaIndex retriever.
 * @packageDocumentation
 */
export {
  type FromLlamaIndexRetrieverOptions,
  fromLlamaIndexRetriever,
} from './from-llama-index-retriever.js';
export type { LlamaIndexRetriever } from './llama-index-retriever.js';
export {
  TwostageNodePostprocessor,
  type TwostageNodePostprocessorOptions,
} from './twostage-node-postprocessor.js';
export { TwostageRetriever, type TwostageRetrieverOptions } from './twostage-retriever.js';
export { VERSION } from './version.js';
