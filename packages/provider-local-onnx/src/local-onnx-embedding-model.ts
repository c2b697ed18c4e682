import {
  type EmbeddingModelV1,
  type EmbeddingModelV1CallOptions,
  type EmbeddingModelV1Result,
  InvalidArgumentError,
  throwIfAborted,
  type WarningV1,
} from '@twostage/core';
import {
  expectedModelDirectory,
  type LoadedLocalModel,
  loadLocalModel,
  providerName,
} from './load-local-model.js';
import type {
  LocalOnnxEmbeddingModelOptions,
  LocalOnnxProviderSettings,
} from './local-onnx-settings.js';
import { mapRunnerError } from './map-runner-error.js';
import { type Pooling, poolingFromConfig, prefixesFromConfig } from './model/model-config.js';
import { readModelJson } from './model/model-files.js';
import { SharedModelLoad } from './shared-model-load.js';

/**
 * A bi-encoder embedding model on onnxruntime-node: pooled (mean or CLS, from the
 * sentence-transformers config), L2-normalised vectors, with query/document prefixes.
 */
export class LocalOnnxEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1';
  /** Always `local-onnx`. */
  readonly provider = providerName;
  /** The hub id or directory the model was created with. */
  readonly modelId: string;
  /** The `maxEmbeddingsPerCall` option (default 256); core batches larger inputs. */
  readonly maxEmbeddingsPerCall: number | undefined;
  /** Calls may overlap; the worker queues them. */
  readonly supportsParallelCalls = true;
  // ECMAScript-private (not TypeScript `private`): settings may hold the hub token, and
  // `#` fields never show in `util.inspect`, `console.log` or `JSON.stringify`.
  readonly #settings: LocalOnnxProviderSettings;
  readonly #options: LocalOnnxEmbeddingModelOptions;
  readonly #model: SharedModelLoad;
  private knownDimensions: number | undefined;
  private pooling: Pooling;
  private prefixes: { query: string; document: string };
  private pendingWarnings: WarningV1[] = [];

  constructor(
    modelId: string,
    settings: LocalOnnxProviderSettings,
    options: LocalOnnxEmbeddingModelOptions,
  ) {
    this.#settings = settings;
    this.#options = options;
    this.#model = new SharedModelLoad(
      (abortSignal) => loadLocalModel(this.modelId, this.#settings, this.#options, abortSignal),
      (loaded) => {
        this.readConfiguration(loaded.directory);
        for (const warning of loaded.backend.info.warnings)
          this.pendingWarnings.push({ type: 'other', message: warning });
      },
    );
    this.modelId = modelId;
    this.maxEmbeddingsPerCall = options.maxEmbeddingsPerCall ?? 256;
    const directory = expectedModelDirectory(modelId, settings, options);
    this.pooling = options.pooling ?? 'mean';
    this.prefixes = { query: options.queryPrefix ?? '', document: options.documentPrefix ?? '' };
    this.readConfiguration(directory);
  }

  private readConfiguration(directory: string | undefined): void {
    if (directory === undefined) return;
    const config = readModelJson(directory, 'config.json');
    const poolingConfig = readModelJson(directory, '1_Pooling/config.json');
    const dimension = poolingConfig?.word_embedding_dimension ?? config?.hidden_size;
    if (typeof dimension === 'number') this.knownDimensions = dimension;
    this.pooling = this.#options.pooling ?? poolingFromConfig(poolingConfig);
    const prefixes = prefixesFromConfig(
      readModelJson(directory, 'config_sentence_transformers.json'),
      this.modelId,
    );
    this.prefixes = {
      query: this.#options.queryPrefix ?? prefixes.query,
      document: this.#options.documentPrefix ?? prefixes.document,
    };
  }

  /** Vector length. For a hub model not downloaded yet it is 0 until {@link load} has run. */
  get dimensions(): number {
    return this.knownDimensions ?? 0;
  }

  /** Downloads (if needed) and loads the model; later calls reuse it. */
  async load(abortSignal?: AbortSignal): Promise<LoadedLocalModel> {
    return this.#model.get(abortSignal);
  }

  /** Ends the worker and frees the model. */
  async close(): Promise<void> {
    await this.#model.close();
  }

  /** Embeds the values (with the query or document prefix), pooled and normalised. Loads the model on first use. */
  async doEmbed(options: EmbeddingModelV1CallOptions): Promise<EmbeddingModelV1Result> {
    throwIfAborted(options.abortSignal);
    const prefix = options.inputType === 'query' ? this.prefixes.query : this.prefixes.document;
    const texts = options.values.map((value, index) => {
      if (typeof value !== 'string') {
        throw new InvalidArgumentError({
          argument: `values[${index}]`,
          message: 'must be a string',
        });
      }
      return prefix + value;
    });
    const loaded = await this.load(options.abortSignal);
    const warnings = this.pendingWarnings.splice(0);
    let result: Awaited<ReturnType<typeof loaded.backend.embed>>;
    try {
      result = await loaded.backend.embed(
        texts,
        this.pooling,
        this.#options.normalize ?? true,
        options.abortSignal,
      );
    } catch (error) {
      throw mapRunnerError(error, {
        provider: this.provider,
        modelId: this.modelId,
        directory: loaded.directory,
        abortSignal: options.abortSignal,
      });
    }
    throwIfAborted(options.abortSignal);
    this.knownDimensions = result.dimensions;
    const embeddings = texts.map((_, index) =>
      result.embeddings.slice(index * result.dimensions, (index + 1) * result.dimensions),
    );
    if (result.truncated > 0) {
      warnings.push({
        type: 'other',
        message: `${result.truncated} of ${texts.length} values were truncated to ${loaded.backend.info.maxLength} tokens.`,
      });
    }
    return {
      embeddings,
      usage: { tokens: result.inputTokens },
      warnings,
      response: { modelId: this.modelId },
    };
  }
}
