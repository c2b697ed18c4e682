import {
  InvalidArgumentError,
  type LongDocumentWindowsV1Options,
  type LongDocumentWindowsV1Result,
  type RerankStageV1,
  type RerankStageV1CallOptions,
  type RerankStageV1Result,
  type ScoreKindV1,
  throwIfAborted,
  type WarningV1,
} from '@twostage/core';
import { renderObjectDocument } from '@twostage/core/provider-utils';
import {
  expectedModelDirectory,
  type LoadedLocalModel,
  loadLocalModel,
  providerName,
} from './load-local-model.js';
import type { LocalOnnxProviderSettings, LocalOnnxRerankerOptions } from './local-onnx-settings.js';
import { mapRunnerError } from './map-runner-error.js';
import { type Activation, activationFromConfig } from './model/model-config.js';
import { readModelJson } from './model/model-files.js';
import { SharedModelLoad } from './shared-model-load.js';
import { TokenWindowPlanner } from './tokenizer/token-window-planner.js';

const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));

/**
 * Turns the logits of one pair into a score. One logit: sigmoid or identity (softmax over a single
 * logit would always be 1, so it means sigmoid). Several: the positive label (index 1) after
 * softmax, sigmoid or nothing.
 */
export function scoreFromLogits(
  logits: Float32Array,
  offset: number,
  numLabels: number,
  activation: Activation,
): number {
  if (numLabels === 1) {
    const logit = logits[offset] as number;
    return activation === 'identity' ? logit : sigmoid(logit);
  }
  const positive = logits[offset + 1] as number;
  if (activation === 'identity') return positive;
  if (activation === 'sigmoid') return sigmoid(positive);
  let max = Number.NEGATIVE_INFINITY;
  for (let label = 0; label < numLabels; label += 1)
    max = Math.max(max, logits[offset + label] as number);
  let sum = 0;
  for (let label = 0; label < numLabels; label += 1)
    sum += Math.exp((logits[offset + label] as number) - max);
  return Math.exp(positive - max) / sum;
}

/**
 * A cross-encoder rerank stage on onnxruntime-node. The model loads at the first call (or at
 * {@link LocalOnnxRerankStage.load}); inference runs in a worker thread.
 */
export class LocalOnnxRerankStage implements RerankStageV1 {
  readonly specificationVersion = 'v1';
  /** Always `local-onnx`. */
  readonly provider = providerName;
  /** The hub id or directory the stage was created with. */
  readonly modelId: string;
  /** The `maxDocumentsPerCall` option; unlimited by default (batching happens inside). */
  readonly maxDocumentsPerCall: number | undefined;
  // ECMAScript-private (not TypeScript `private`): settings may hold the hub token, and
  // `#` fields never show in `util.inspect`, `console.log` or `JSON.stringify`.
  readonly #settings: LocalOnnxProviderSettings;
  readonly #options: LocalOnnxRerankerOptions;
  readonly #model: SharedModelLoad;
  private activation: Activation | undefined;
  private pendingWarnings: WarningV1[] = [];
  /** Built at the first `chunk-max` call, for the loaded model's directory. */
  #windowPlanner: { directory: string; planner: Promise<TokenWindowPlanner> } | undefined;

  constructor(
    modelId: string,
    settings: LocalOnnxProviderSettings,
    options: LocalOnnxRerankerOptions,
  ) {
    this.#settings = settings;
    this.#options = options;
    this.#model = new SharedModelLoad(
      (abortSignal) => loadLocalModel(this.modelId, this.#settings, this.#options, abortSignal),
      (loaded) => {
        this.activation ??= this.activationFromDisk() ?? 'sigmoid';
        for (const warning of loaded.backend.info.warnings)
          this.pendingWarnings.push({ type: 'other', message: warning });
      },
    );
    this.modelId = modelId;
    this.maxDocumentsPerCall = options.maxDocumentsPerCall;
    this.activation = options.activation ?? this.activationFromDisk();
  }

  private activationFromDisk(): Activation | undefined {
    const directory = expectedModelDirectory(this.modelId, this.#settings, this.#options);
    const config = directory === undefined ? undefined : readModelJson(directory, 'config.json');
    if (config === undefined) return undefined;
    const { activation, unknownName } = activationFromConfig(config);
    if (unknownName !== undefined) {
      this.pendingWarnings.push({
        type: 'unsupported-setting',
        setting: 'activation_fn',
        details: `config.json asks for '${unknownName}', which is not sigmoid, softmax or identity; using ${activation}.`,
      });
    }
    return activation;
  }

  /**
   * What the scores are: 'probability' for sigmoid/softmax, 'logit' for identity. For a hub model
   * not downloaded yet, it reflects `config.json` only once {@link load} has run.
   */
  get scoreKind(): ScoreKindV1 {
    return this.activation === 'identity' ? 'logit' : 'probability';
  }

  /** Downloads (if needed) and loads the model; later calls reuse it. A failed load is retried by the next call. */
  async load(abortSignal?: AbortSignal): Promise<LoadedLocalModel> {
    return this.#model.get(abortSignal);
  }

  /** Ends the worker and frees the model. */
  async close(): Promise<void> {
    await this.#model.close();
  }

  /**
   * Splits texts longer than the model's input beside the query into token windows with the
   * model's tokenizer (whole words, each encoded without truncation when scored alone), for
   * core's `longDocuments: { strategy: 'chunk-max' }`. Loads the model on first use.
   */
  async planLongDocumentWindows(
    options: LongDocumentWindowsV1Options,
  ): Promise<LongDocumentWindowsV1Result> {
    throwIfAborted(options.abortSignal);
    const loaded = await this.load(options.abortSignal);
    if (this.#windowPlanner?.directory !== loaded.directory) {
      const planner = TokenWindowPlanner.load(loaded.directory, {
        maxLength: loaded.backend.info.maxLength,
        truncation: this.#options.truncation ?? 'longest_first',
        queryMaxTokens: this.#options.queryMaxTokens,
      });
      this.#windowPlanner = { directory: loaded.directory, planner };
      planner.catch(() => {
        // A failed read is tried again by the next call.
        if (this.#windowPlanner?.planner === planner) this.#windowPlanner = undefined;
      });
    }
    const planner = await this.#windowPlanner.planner;
    throwIfAborted(options.abortSignal);
    return { windows: planner.plan(options) };
  }

  /**
   * Scores every (query, document) pair with the cross-encoder and returns them sorted by score
   * (ties by input index). Loads the model on first use.
   */
  async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
    throwIfAborted(options.abortSignal);
    const { topN } = options;
    // `slice(0, -1)` would silently drop the last document, `slice(0, 1.5)` keep one.
    if (topN !== undefined && !(Number.isInteger(topN) && topN >= 0)) {
      throw new InvalidArgumentError({
        argument: 'topN',
        message: `topN must be a non-negative integer, got ${topN}.`,
      });
    }
    const warnings: WarningV1[] = [];
    let texts: string[];
    if (options.documents.type === 'text') {
      texts = options.documents.values.map((value, index) => {
        if (typeof value !== 'string') {
          throw new InvalidArgumentError({
            argument: `documents[${index}]`,
            message: 'must be a string',
          });
        }
        return value;
      });
    } else {
      texts = options.documents.values.map(renderObjectDocument);
      warnings.push({
        type: 'lossy-input',
        details: 'object documents were rendered as "key: value" lines of text',
      });
    }
    const loaded = await this.load(options.abortSignal);
    warnings.push(...this.pendingWarnings.splice(0));
    let result: Awaited<ReturnType<typeof loaded.backend.score>>;
    try {
      result = await loaded.backend.score(options.query, texts, options.abortSignal);
    } catch (error) {
      throw mapRunnerError(error, {
        provider: this.provider,
        modelId: this.modelId,
        directory: loaded.directory,
        abortSignal: options.abortSignal,
      });
    }
    throwIfAborted(options.abortSignal);
    const activation = this.activation ?? 'sigmoid';
    const ranking = texts.map((_, index) => ({
      index,
      score: scoreFromLogits(result.logits, index * result.numLabels, result.numLabels, activation),
    }));
    ranking.sort((left, right) => right.score - left.score || left.index - right.index);
    if (result.truncated > 0) {
      warnings.push({
        type: 'other',
        message: `${result.truncated} of ${texts.length} (query, document) pairs were truncated to ${loaded.backend.info.maxLength} tokens.`,
      });
    }
    return {
      ranking: topN === undefined ? ranking : ranking.slice(0, topN),
      usage: { inputTokens: result.inputTokens },
      warnings,
      response: { modelId: this.modelId },
    };
  }
}
