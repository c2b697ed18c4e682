import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type {
  EmbeddingInputTypeV1,
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
  EmbeddingModelV1Result,
} from '../spec/v1/index.js';
import { describe } from '../util/validate-arguments.js';
import { CallActivity } from './call-activity.js';
import { mockDelay } from './mock-delay.js';
import { findFault, type MockFault } from './mock-fault.js';
import type { MockIntercept } from './mock-intercept.js';
import {
  checkBoolean,
  checkFaults,
  checkFunction,
  checkLatencyMs,
  checkLimit,
  checkModelId,
  checkSettingNames,
} from './mock-setting-checks.js';
import { termTokens } from './term-tokens.js';

/** Settings of a {@link MockEmbeddingModel}; each is checked when the model is built. */
export type MockEmbeddingModelSettings = {
  /** @default 'mock-embedding' */
  modelId?: string;
  /** Length of every vector (an integer ≥ 1). @default 64 */
  dimensions?: number;
  /**
   * The most values one call accepts (an integer ≥ 1); a larger call throws an
   * `InvalidArgumentError` (core must batch). Unlimited when set to undefined.
   * @default 96
   */
  maxEmbeddingsPerCall?: number | undefined;
  /**
   * Whether the model tells core it may run several calls at once; with `false` core sends one
   * call at a time.
   * @default true
   */
  supportsParallelCalls?: boolean;
  /** How long each call takes, in milliseconds; an abort cuts the wait short. @default 0 */
  latencyMs?: number;
  /** Calls that throw instead of answering. @default [] */
  faults?: readonly MockFault[];
  /**
   * Computes one value's vector, instead of the hashed bag of words. Returned as is, unchecked
   * (core checks the length against `dimensions`).
   * @default the L2-normalised hashed bag of words
   */
  vector?: (value: string, inputType: EmbeddingInputTypeV1) => Float32Array;
  /**
   * Called for every call within `maxEmbeddingsPerCall`, after the latency and the faults; may
   * throw, or return a result that replaces the computed one. See {@link MockIntercept}.
   */
  intercept?: MockIntercept<EmbeddingModelV1CallOptions, EmbeddingModelV1Result>;
  /**
   * The fields of the `call`-th result besides the embeddings (`usage`, `warnings`, `response`).
   * When set, they replace the mock's own (`usage: { tokens }`, the values' token count, and
   * `warnings: []`), so returning `{}` gives bare embeddings.
   */
  extra?: (call: number) => Omit<EmbeddingModelV1Result, 'embeddings'>;
};

const settingNames = [
  'modelId',
  'dimensions',
  'maxEmbeddingsPerCall',
  'supportsParallelCalls',
  'latencyMs',
  'faults',
  'vector',
  'intercept',
  'extra',
] as const satisfies readonly (keyof MockEmbeddingModelSettings)[];

/** One call a {@link MockEmbeddingModel} received, copied at call time. */
export type MockEmbeddingCall = {
  /** A copy of the texts the call received. */
  values: string[];
  /** Whether they were embedded as queries or documents. */
  inputType: EmbeddingInputTypeV1;
  /** A copy of the call's headers. */
  headers: EmbeddingModelV1CallOptions['headers'];
  /** A deep copy of the call's provider options. */
  providerOptions: EmbeddingModelV1CallOptions['providerOptions'];
  /** Whether the call got an abort signal. */
  hadAbortSignal: boolean;
  /** The call's abort signal itself (not a copy), so a test can see whether it fired later. */
  abortSignal: AbortSignal | undefined;
};

/**
 * A deterministic embedding model for tests: a hashed bag of words. Each token (see the mocks'
 * Unicode-aware tokeniser) adds ±1 to one dimension chosen by a hash of the token, and the vector
 * is L2-normalised, so texts that share words have a high cosine similarity and unrelated texts a
 * low one. Query and document inputs embed the same way. A text without any token embeds to the
 * first unit vector. `vector` replaces that.
 *
 * Records every call in {@link MockEmbeddingModel.calls} and how many ran at once;
 * `latencyMs`, `faults`, `intercept` and `extra` as for the other mocks.
 */
export class MockEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'mock';
  readonly modelId: string;
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall: number | undefined;
  readonly supportsParallelCalls: boolean;
  /** The calls received so far, oldest first. */
  readonly calls: MockEmbeddingCall[] = [];
  private readonly latencyMs: number;
  private readonly faults: readonly MockFault[];
  private readonly vector: MockEmbeddingModelSettings['vector'];
  private readonly intercept: MockEmbeddingModelSettings['intercept'];
  private readonly extra: MockEmbeddingModelSettings['extra'];
  private readonly activity = new CallActivity();

  /** @throws InvalidArgumentError naming a setting with a bad value, or an unknown setting */
  constructor(settings: MockEmbeddingModelSettings = {}) {
    const checked = checkSettingNames(settings, 'MockEmbeddingModel', settingNames);
    this.modelId = checkModelId(checked.modelId, 'mock-embedding');
    this.dimensions = checkDimensions(checked.dimensions);
    // An explicit undefined means no limit, so presence decides, not the value.
    this.maxEmbeddingsPerCall =
      'maxEmbeddingsPerCall' in checked
        ? checkLimit(checked.maxEmbeddingsPerCall, 'maxEmbeddingsPerCall')
        : 96;
    this.supportsParallelCalls = checkBoolean(
      checked.supportsParallelCalls,
      'supportsParallelCalls',
      true,
    );
    this.latencyMs = checkLatencyMs(checked.latencyMs);
    this.faults = checkFaults(checked.faults);
    this.vector = checkFunction(checked.vector, 'vector');
    this.intercept = checkFunction(checked.intercept, 'intercept');
    this.extra = checkFunction(checked.extra, 'extra');
  }

  /** Calls running now. */
  get activeCalls(): number {
    return this.activity.active;
  }

  /** The most calls that ran at once so far. */
  get maxActiveCalls(): number {
    return this.activity.maxActive;
  }

  /** Embeds the values as hashed bags of words (or with `vector`). */
  async doEmbed(options: EmbeddingModelV1CallOptions): Promise<EmbeddingModelV1Result> {
    this.calls.push({
      values: [...options.values],
      inputType: options.inputType,
      headers: options.headers === undefined ? undefined : { ...options.headers },
      providerOptions:
        options.providerOptions === undefined
          ? undefined
          : structuredClone(options.providerOptions),
      hadAbortSignal: options.abortSignal !== undefined,
      abortSignal: options.abortSignal,
    });
    // Taken now: with calls in parallel, the length grows while this one waits.
    const call = this.calls.length;
    return this.activity.track(() => this.answer(call, options));
  }

  private async answer(
    call: number,
    options: EmbeddingModelV1CallOptions,
  ): Promise<EmbeddingModelV1Result> {
    await mockDelay(this.latencyMs, options.abortSignal);
    const fault = findFault(this.faults, call);
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
    const intercepted = await this.intercept?.(call, options);
    if (intercepted !== undefined) return intercepted;

    const vector = this.vector ?? ((value: string) => this.embedText(value));
    const embeddings = options.values.map((value) => vector(value, options.inputType));
    if (this.extra !== undefined) return { embeddings, ...this.extra(call) };
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

/** The vector length: an integer ≥ 1, 64 when undefined. */
function checkDimensions(value: unknown): number {
  if (value === undefined) return 64;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError({
      argument: 'dimensions',
      message: `must be a positive integer, got ${describe(value)}.`,
    });
  }
  return value;
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
