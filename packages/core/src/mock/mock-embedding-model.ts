import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type {
  EmbeddingInputTypeV1,
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
  EmbeddingModelV1Result,
} from '../spec/v1/index.js';
import { mockDelay } from './mock-delay.js';
import { findFault, type MockFault } from './mock-fault.js';
import { termTokens } from './term-tokens.js';

/** Settings of a {@link MockEmbeddingModel}. */
export type MockEmbeddingModelSettings = {
  /** @default 'mock-embedding' */
  modelId?: string;
  /** Length of every vector. @default 64 */
  dimensions?: number;
  /**
   * The most values one call accepts; a larger call throws an `InvalidArgumentError` (core must
   * batch). Unlimited when undefined.
   * @default 96
   */
  maxEmbeddingsPerCall?: number | undefined;
  /** How long each call takes, in milliseconds; an abort cuts the wait short. @default 0 */
  latencyMs?: number;
  /** Calls that throw instead of answering. @default [] */
  faults?: readonly MockFault[];
};

/** One call a {@link MockEmbeddingModel} received, copied at call time. */
export type MockEmbeddingCall = {
  /** A copy of the texts the call received. */
  values: string[];
  /** Whether they were embedded as queries or documents. */
  inputType: EmbeddingInputTypeV1;
  /** Whether the call got an abort signal. */
  hadAbortSignal: boolean;
};

/**
 * A deterministic embedding model for tests: a hashed bag of words. Each token (see the mocks'
 * Unicode-aware tokeniser) adds ±1 to one dimension chosen by a hash of the token, and the vector
 * is L2-normalised, so texts that share words have a high cosine similarity and unrelated texts a
 * low one. Query and document inputs embed the same way. A text without any token embeds to the
 * first unit vector.
 *
 * Records every call in {@link MockEmbeddingModel.calls}; `latencyMs` and `faults` as for the
 * other mocks.
 */
export class MockEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'mock';
  readonly modelId: string;
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall: number | undefined;
  readonly supportsParallelCalls = true;
  /** The calls received so far, oldest first. */
  readonly calls: MockEmbeddingCall[] = [];
  private readonly latencyMs: number;
  private readonly faults: readonly MockFault[];

  constructor(settings: MockEmbeddingModelSettings = {}) {
    const dimensions = settings.dimensions ?? 64;
    if (!Number.isInteger(dimensions) || dimensions < 1) {
      throw new InvalidArgumentError({
        argument: 'dimensions',
        message: `must be a positive integer, got ${dimensions}.`,
      });
    }
    this.modelId = settings.modelId ?? 'mock-embedding';
    this.dimensions = dimensions;
    this.maxEmbeddingsPerCall =
      'maxEmbeddingsPerCall' in settings ? settings.maxEmbeddingsPerCall : 96;
    this.latencyMs = settings.latencyMs ?? 0;
    this.faults = settings.faults ?? [];
  }

  /** Embeds the values as hashed bags of words. */
  async doEmbed(options: EmbeddingModelV1CallOptions): Promise<EmbeddingModelV1Result> {
    this.calls.push({
      values: [...options.values],
      inputType: options.inputType,
      hadAbortSignal: options.abortSignal !== undefined,
    });
    await mockDelay(this.latencyMs, options.abortSignal);
    const fault = findFault(this.faults, this.calls.length);
    if (fault !== undefined) throw fault.error;
    if (
      this.maxEmbeddingsPerCall !== undefined &&
      options.values.length > this.maxEmbeddingsPerCall
    ) {
      throw new InvalidArgumentError({
        argument: 'values',
        message: `${options.values.length} values exceed maxEmbeddingsPerCall (${this.maxEmbeddingsPerCall}).`,
      });
    }
    const embeddings = options.values.map((value) => this.embedText(value));
    const tokens = options.values.reduce((total, value) => total + termTokens(value).length, 0);
    return { embeddings, usage: { tokens }, warnings: [] };
  }

  private embedText(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const token of termTokens(text)) {
      const hash = fnv1a(token);
      // The low bits pick the dimension, one high bit the sign, so collisions partly cancel
      // instead of always adding up.
      const sign = hash & 0x80000000 ? -1 : 1;
      vector[hash % this.dimensions] = (vector[hash % this.dimensions] ?? 0) + sign;
    }
    let norm = 0;
    for (const component of vector) norm += component * component;
    if (norm === 0) {
      vector[0] = 1;
      return vector;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let index = 0; index < vector.length; index += 1) {
      vector[index] = (vector[index] ?? 0) * scale;
    }
    return vector;
  }
}

/** 32-bit FNV-1a over the UTF-16 code units: fast, stable, good enough to spread tokens. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
