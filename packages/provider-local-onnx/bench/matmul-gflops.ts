/**
 * The machine's fp32 matmul throughput through onnxruntime (one 1024×1024×1024 MatMul, best of
 * several runs), the ceiling that "useful GFLOP/s" is compared against. Prints one JSON line.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { OnnxGraphBuilder } from '../src/testing/onnx-graph-builder.js';
import { encodeOnnxModel } from '../src/testing/onnx-protobuf-writer.js';
import { SeededRandom } from '../src/testing/seeded-random.js';

const size = 1024;
const threads = Number(process.argv[2] ?? 0);
const random = new SeededRandom(1);
const values = Float32Array.from({ length: size * size }, () => random.normal());
const graph = new OnnxGraphBuilder();
const input = graph.input('a', 'float', [size, size]);
graph.output(graph.op('MatMul', [input, graph.floats('b', [size, size], values)]), 'c', 'float', [
  size,
  size,
]);
const session = await InferenceSession.create(encodeOnnxModel(graph.build('matmul', { '': 17 })), {
  intraOpNumThreads: threads,
});
const feeds = { a: new Tensor('float32', values, [size, size]) };
await session.run(feeds);
let best = Number.POSITIVE_INFINITY;
for (let run = 0; run < 10; run += 1) {
  const started = performance.now();
  await session.run(feeds);
  best = Math.min(best, performance.now() - started);
}
console.log(JSON.stringify({ gflops: (2 * size ** 3) / (best / 1000) / 1e9, bestMs: best }));
