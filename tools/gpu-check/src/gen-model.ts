/**
 * Writes a synthetic MiniLM-L6-shaped cross-encoder (H 384, 6 layers, 12 heads) with the
 * package's own generator, so a realistic-size model needs no download and no transfer.
 *
 *   node gen-model.js <directory> [vocabSize]
 */
import { writeSyntheticModel } from '../../../packages/provider-local-onnx/src/testing/index.js';

const [directory, vocabSize = '8000'] = process.argv.slice(2);
const started = performance.now();
await writeSyntheticModel(directory as string, {
  architecture: 'bert',
  task: 'sequence-classification',
  vocabSize: Number(vocabSize),
  hiddenSize: 384,
  numLayers: 6,
  numHeads: 12,
  intermediateSize: 1536,
  maxPositionEmbeddings: 512,
  modelMaxLength: 512,
  numLabels: 1,
  activationFunction: 'torch.nn.modules.linear.Identity',
  weightScale: 0.04,
  quantized: false,
  seed: 101,
});
console.log(`generated ${directory} in ${Math.round(performance.now() - started)} ms`);
