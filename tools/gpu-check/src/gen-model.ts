/**
 * Writes a synthetic MiniLM-L6-shaped cross-encoder (H 384, 6 layers, 12 heads) with the
 * package's own generator, so a realistic-size model needs no download and no transfer.
 *
 *   node gen-model.js <directory> [vocabSize]
 */
import { benchSpecs } from '../../../packages/provider-local-onnx/scripts/fixture-specs.js';
import { writeSyntheticModel } from '../../../packages/provider-local-onnx/src/testing/index.js';

const [directory, vocabSize = '8000'] = process.argv.slice(2);
const spec = benchSpecs['minilm-l6-cross-encoder'];
if (spec === undefined) throw new Error('no MiniLM-L6 bench spec');
const started = performance.now();
// The bench's MiniLM-L6 shape with a smaller vocabulary (same FLOPs, smaller file), fp32 only.
await writeSyntheticModel(directory as string, {
  ...spec,
  vocabSize: Number(vocabSize),
  quantized: false,
});
console.log(`generated ${directory} in ${Math.round(performance.now() - started)} ms`);
