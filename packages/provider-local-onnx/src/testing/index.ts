/**
 * `@twostage/provider-local-onnx/testing`: a generator of synthetic BERT- and XLM-R-architecture
 * models (seeded random weights, fp32 and int8) with matching tokenizers, for tests and benchmarks
 * that must run without a model hub.
 * @packageDocumentation
 */
export {
  buildEncoderModel,
  padTokenIdOf,
  type SyntheticEncoderSpec,
} from './build-encoder-model.js';
export { buildUnigramTokenizer, buildWordPieceTokenizer } from './build-synthetic-tokenizer.js';
export { encodeOnnxModel, type OnnxModel } from './onnx-protobuf-writer.js';
export { SeededRandom } from './seeded-random.js';
export { tinyCrossEncoder } from './tiny-cross-encoder.js';
export { type SyntheticModelOptions, writeSyntheticModel } from './write-synthetic-model.js';
