import {
  type EmbeddingModelV1,
  type EmbeddingModelV1CallOptions,
  type EmbeddingModelV1Result,
  InvalidArgumentError,
  InvalidResponseError,
  redactHeaders,
  throwIfAborted,
} from '@twostage/core';
import { callTei } from './call-tei.js';
import { runLimited } from './run-limited.js';
import { parseTeiEmbeddingOptions, type TeiEmbeddingOptions } from './tei-embedding-options.js';
import type { TeiProviderSettings } from './tei-provider-settings.js';
import type { TeiServerInfoCache } from './tei-server-info.js';

/**
 * An embedding model served by TEI's `POST /embed`, windowed by `max_client_batch_size` (from
 * `GET /info`, read once per provider) with at most `max_concurrent_requests` texts in flight.
 */
export class TeiEmbeddingModel implements EmbeddingModelV1 {
  /** The contract this model implements. */
  readonly specificationVersion = 'v1';
  /** `tei`. */
  readonly provider = 'tei';
  /** The model id; TEI serves one model and does not take it on the wire. */
  readonly modelId: string;
  /** The vector length (the `dimensions` option). */
  readonly dimensions: number;
  /** The settings' `maxDocumentsPerCall`; unset, this model windows by the server's limit. */
  readonly maxEmbeddingsPerCall: number | undefined;
  /** TEI batches concurrent requests itself. */
  readonly supportsParallelCalls = true;
  private readonly options: TeiEmbeddingOptions;
  readonly #settings: TeiProviderSettings;
  readonly #info: TeiServerInfoCache;

  constructor(
    modelId: string,
    options: unknown,
    settings: TeiProviderSettings,
    info: TeiServerInfoCache,
  ) {
    if (typeof modelId !== 'string' || modelId.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message: 'must be the served model id, a non-blank string.',
      });
    }
    this.modelId = modelId;
    this.options = parseTeiEmbeddingOptions(options, 'options');
    this.dimensions = this.options.dimensions;
    this.maxEmbeddingsPerCall = settings.maxDocumentsPerCall;
    this.#settings = settings;
    this.#info = info;
  }

  /** Embeds the values with one `POST /embed` per window; see `EmbeddingModelV1`. */
  async doEmbed(options: EmbeddingModelV1CallOptions): Promise<EmbeddingModelV1Result> {
    throwIfAborted(options.abortSignal);
    const { values } = options;
    if (values.length === 0) return { embeddings: [] };
    let batch = this.#settings.maxDocumentsPerCall;
    let inFlightTexts = this.#settings.maxConcurrentTexts;
    if (batch === undefined || inFlightTexts === undefined) {
      const info = await this.#info.get(this.modelId, options.abortSignal);
      batch = Math.min(batch ?? info.maxClientBatchSize, info.maxClientBatchSize);
      inFlightTexts ??= info.maxConcurrentRequests;
    }
    const size = batch;
    const promptName = this.options.promptNames?.[options.inputType];
    let lastHeaders: Headers | undefined;
    const parts = await runLimited(
      Math.ceil(values.length / size),
      Math.max(1, Math.floor(inFlightTexts / size)),
      async (window) => {
        const slice = values.slice(window * size, window * size + size);
        const body: Record<string, unknown> = { inputs: slice };
        if (this.options.normalize !== undefined) body.normalize = this.options.normalize;
        if (this.options.truncate !== undefined) body.truncate = this.options.truncate;
        if (promptName !== undefined) body.prompt_name = promptName;
        const response = await callTei({
          settings: this.#settings,
          route: '/embed',
          method: 'POST',
          abortSignal: options.abortSignal,
          headers: options.headers,
          body,
        });
        lastHeaders = response.headers;
        return this.#parse(response.text, slice.length);
      },
    );
    const headers: Record<string, string> = {};
    lastHeaders?.forEach((value, name) => {
      headers[name] = value;
    });
    return {
      embeddings: parts.flat(),
      response: { modelId: this.modelId, headers: redactHeaders(headers) },
    };
  }

  #parse(text: string, count: number): Float32Array[] {
    const fail = (message: string): never => {
      throw new InvalidResponseError({ provider: 'tei', modelId: this.modelId, message });
    };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return fail(
        `the body of a successful /embed answer is not JSON (${text.length} characters).`,
      );
    }
    if (!Array.isArray(value) || value.length !== count) {
      return fail(`the /embed answer is not an array of ${count} vectors.`);
    }
    return value.map((vector: unknown, position) => {
      if (!Array.isArray(vector) || vector.length !== this.dimensions) {
        fail(
          `[${position}] is not a vector of ${this.dimensions} numbers (check the dimensions option).`,
        );
      }
      const numbers = vector as unknown[];
      if (!numbers.every((entry) => typeof entry === 'number' && Number.isFinite(entry))) {
        fail(`[${position}] holds a value that is not a finite number.`);
      }
      return Float32Array.from(numbers as number[]);
    });
  }
}
