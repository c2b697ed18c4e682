import type {
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
  EmbeddingModelV1Result,
} from '../../src/spec/v1/embedding-model-v1.js';
import { wait } from './wait.js';

/**
 * A fake embedding model for core's own tests: the vector of a text is `[length, code of its
 * first character, 0, ...]`, so a test can tell which text a vector belongs to. Records calls and
 * the most calls that ran at once.
 */
export class FakeEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'fake';
  readonly modelId = 'fake-embedder';
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall: number | undefined;
  readonly supportsParallelCalls: boolean;
  readonly calls: EmbeddingModelV1CallOptions[] = [];
  active = 0;
  maxActive = 0;

  constructor(
    private readonly options: {
      dimensions?: number;
      maxEmbeddingsPerCall?: number;
      supportsParallelCalls?: boolean;
      delayMs?: number;
      intercept?: (
        call: number,
        options: EmbeddingModelV1CallOptions,
      ) => EmbeddingModelV1Result | PromiseLike<EmbeddingModelV1Result> | undefined;
    } = {},
  ) {
    this.dimensions = options.dimensions ?? 4;
    this.maxEmbeddingsPerCall = options.maxEmbeddingsPerCall;
    this.supportsParallelCalls = options.supportsParallelCalls ?? false;
  }

  async doEmbed(callOptions: EmbeddingModelV1CallOptions): Promise<EmbeddingModelV1Result> {
    this.calls.push(callOptions);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.options.delayMs !== undefined) {
        await wait(this.options.delayMs, callOptions.abortSignal);
      }
      const intercepted = await this.options.intercept?.(this.calls.length, callOptions);
      if (intercepted !== undefined) return intercepted;
      return { embeddings: callOptions.values.map((value) => vectorOf(value, this.dimensions)) };
    } finally {
      this.active--;
    }
  }
}

/** The fake model's vector for `value`. */
export function vectorOf(value: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  vector[0] = value.length;
  if (dimensions > 1) vector[1] = value.codePointAt(0) ?? 0;
  return vector;
}
