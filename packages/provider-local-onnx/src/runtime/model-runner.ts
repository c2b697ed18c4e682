import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import {
  type JsonRecord,
  maxSequenceLength,
  numLabelsOf,
  type Pooling,
} from '../model/model-config.js';
import { PairEncoder } from '../tokenizer/pair-encoder.js';
import { specialTokenTemplateOf } from '../tokenizer/special-token-template.js';
import type { TruncationStrategy } from '../tokenizer/truncate-pair.js';
import { wordStartTestOf } from '../tokenizer/word-start.js';
import { type EncodedRows, packRows, rowCount, rowLength } from './encoded-rows.js';

/** Where inference runs. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'webgpu';

/** Everything a runner needs to load; plain data so it crosses into a worker. */
export type RunnerOptions = {
  modelDirectory: string;
  /** The ONNX file, relative to the model directory (`onnx/model.onnx`). */
  modelFile: string;
  executionProvider: ExecutionProvider;
  /** Fall back to the CPU when the requested provider cannot start. */
  fallbackToCpu: boolean;
  /** Intra-op threads; 0 lets onnxruntime use one per physical core. */
  threads: number;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  maxLength: number | undefined;
  truncation: TruncationStrategy;
  queryMaxTokens: number | undefined;
  /** Let idle intra-op threads spin between operators. */
  allowSpinning: boolean;
};

/** What a loaded runner reports about its model. */
export type RunnerInfo = {
  inputNames: string[];
  outputNames: string[];
  executionProvider: ExecutionProvider;
  maxLength: number;
  numLabels: number;
  hiddenSize: number | undefined;
  /** Intra-op threads of the session. */
  threads: number;
  warnings: string[];
};

/** An error the runner raises with a code the main thread maps to the core error family. */
export class RunnerError extends Error {
  constructor(
    readonly code: 'model-file' | 'tokenizer' | 'invalid-input' | 'cancelled' | 'runtime',
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'RunnerError';
  }
}

async function readJson(directory: string, file: string): Promise<JsonRecord> {
  let text: string;
  try {
    text = await readFile(join(directory, file), 'utf8');
  } catch (error) {
    throw new RunnerError('model-file', `cannot read ${file}: ${(error as Error).message}`, file);
  }
  try {
    return JSON.parse(text) as JsonRecord;
  } catch (error) {
    throw new RunnerError(
      'model-file',
      `${file} is not valid JSON: ${(error as Error).message}`,
      file,
    );
  }
}

/**
 * Owns one onnxruntime session and the model's tokenizer: it encodes texts and runs batches of
 * encoded rows. Which rows form a batch is the pool's business (`inference-pool.ts`). It runs
 * wherever it is created: inside an inference worker by default, or on the calling thread.
 */
export class ModelRunner {
  private constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly session: InferenceSession,
    private readonly encoder: PairEncoder,
    private readonly options: RunnerOptions,
    private readonly padId: number,
    private readonly useTypeIds: boolean,
    readonly info: RunnerInfo,
  ) {}

  /** Loads the tokenizer and creates the session (falling back to the CPU when allowed). */
  static async load(options: RunnerOptions): Promise<ModelRunner> {
    const directory = options.modelDirectory;
    const [config, tokenizerJson, tokenizerConfig] = await Promise.all([
      readJson(directory, 'config.json'),
      readJson(directory, 'tokenizer.json'),
      readJson(directory, 'tokenizer_config.json'),
    ]);
    const template = specialTokenTemplateOf(tokenizerJson);
    if (template === undefined) {
      throw new RunnerError(
        'tokenizer',
        'tokenizer.json has no post_processor we understand (TemplateProcessing, BertProcessing or RobertaProcessing)',
        'tokenizer.json',
      );
    }
    const { Tokenizer } = await import('@huggingface/tokenizers');
    let tokenizer: InstanceType<typeof Tokenizer>;
    try {
      tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (error) {
      throw new RunnerError(
        'tokenizer',
        `cannot build the tokenizer from tokenizer.json: ${(error as Error).message}`,
        'tokenizer.json',
      );
    }
    const maxLength = maxSequenceLength(config, tokenizerConfig, options.maxLength);
    const encoder = new PairEncoder(
      tokenizer,
      template,
      {
        maxLength,
        truncation: options.truncation,
        queryMaxTokens: options.queryMaxTokens ?? Math.floor((maxLength * 3) / 4),
      },
      wordStartTestOf(tokenizerJson),
    );
    // Imported here, never at module load: importing the package must not load the native addon.
    const ort = await import('onnxruntime-node');
    const warnings: string[] = [];
    const { session, executionProvider } = await createSession(ort, options, warnings);
    const padToken = tokenizerConfig.pad_token;
    const padFromTokenizer =
      typeof padToken === 'string' ? tokenizer.token_to_id(padToken) : undefined;
    const padId =
      padFromTokenizer ?? (typeof config.pad_token_id === 'number' ? config.pad_token_id : 0);
    const typeVocabulary = typeof config.type_vocab_size === 'number' ? config.type_vocab_size : 2;
    const hiddenSize = typeof config.hidden_size === 'number' ? config.hidden_size : undefined;
    return new ModelRunner(ort, session, encoder, options, padId, typeVocabulary > 1, {
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
      executionProvider,
      maxLength,
      numLabels: numLabelsOf(config),
      hiddenSize,
      threads: options.threads,
      warnings,
    });
  }

  private feeds(rows: EncodedRows): Record<string, Tensor> {
    const count = rowCount(rows);
    let longest = 0;
    for (let row = 0; row < count; row += 1) longest = Math.max(longest, rowLength(rows, row));
    const size = count * longest;
    const ids = new BigInt64Array(size).fill(BigInt(this.padId));
    const mask = new BigInt64Array(size);
    const types = new BigInt64Array(size);
    const positions = new BigInt64Array(size);
    for (let row = 0; row < count; row += 1) {
      const from = rows.offsets[row] as number;
      const length = rowLength(rows, row);
      const offset = row * longest;
      for (let index = 0; index < length; index += 1) {
        ids[offset + index] = BigInt(rows.ids[from + index] as number);
        mask[offset + index] = 1n;
        if (this.useTypeIds) types[offset + index] = BigInt(rows.typeIds[from + index] as number);
        positions[offset + index] = BigInt(index);
      }
    }
    const shape = [count, longest];
    const feeds: Record<string, Tensor> = {};
    for (const name of this.info.inputNames) {
      const data =
        name === 'input_ids'
          ? ids
          : name === 'attention_mask'
            ? mask
            : name === 'token_type_ids'
              ? types
              : name === 'position_ids'
                ? positions
                : undefined;
      if (data === undefined) {
        throw new RunnerError(
          'model-file',
          `the model wants an input we cannot provide: '${name}'`,
          this.options.modelFile,
        );
      }
      feeds[name] = new this.ort.Tensor('int64', data, shape);
    }
    return feeds;
  }

  /** Tokenizes (query, document) pairs with the configured truncation. */
  encodePairs(query: string, documents: readonly string[]): EncodedRows {
    const tokenizedQuery = this.encoder.tokenizeQuery(query);
    return packRows(documents.map((document) => this.encoder.encodePair(tokenizedQuery, document)));
  }

  /** Tokenizes single texts (bi-encoder inputs), cut to the model's limit. */
  encodeTexts(texts: readonly string[]): EncodedRows {
    return packRows(texts.map((text) => this.encoder.encodeSingle(text)));
  }

  /** Raw logits (`rows × numLabels`) of one batch of encoded pairs, in row order. */
  async scoreRows(rows: EncodedRows): Promise<Float32Array> {
    const outputName = this.info.outputNames.includes('logits')
      ? 'logits'
      : (this.info.outputNames[0] as string);
    const outputs = await this.session.run(this.feeds(rows));
    const data = (outputs[outputName] as Tensor).data as Float32Array;
    const width = data.length / rowCount(rows);
    if (width !== this.info.numLabels) {
      throw new RunnerError(
        'model-file',
        `output '${outputName}' has ${width} values per pair, config.json declares ${this.info.numLabels} labels`,
        'config.json',
      );
    }
    return data.slice();
  }

  /** Pooled (and optionally L2-normalised) embeddings of one batch, `rows × dimensions`. */
  async embedRows(rows: EncodedRows, pooling: Pooling, normalize: boolean): Promise<Float32Array> {
    const pooled = this.info.outputNames.includes('sentence_embedding');
    const outputName = pooled
      ? 'sentence_embedding'
      : this.info.outputNames.includes('last_hidden_state')
        ? 'last_hidden_state'
        : (this.info.outputNames[0] as string);
    const count = rowCount(rows);
    const outputs = await this.session.run(this.feeds(rows));
    const output = outputs[outputName] as Tensor;
    const data = output.data as Float32Array;
    const width = pooled ? data.length / count : (output.dims[2] as number);
    const longest = pooled ? 0 : (output.dims[1] as number);
    const embeddings = new Float32Array(count * width);
    for (let row = 0; row < count; row += 1) {
      const target = embeddings.subarray(row * width, (row + 1) * width);
      if (pooled) target.set(data.subarray(row * width, (row + 1) * width));
      else poolRow(data, row * longest * width, rowLength(rows, row), width, pooling, target);
      if (normalize) normalizeInPlace(target);
    }
    return embeddings;
  }

  /** Frees the native session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Mean over the row's real tokens, or its first (CLS) token. */
function poolRow(
  data: Float32Array,
  start: number,
  length: number,
  width: number,
  pooling: Pooling,
  target: Float32Array,
): void {
  if (pooling === 'cls') {
    target.set(data.subarray(start, start + width));
    return;
  }
  target.fill(0);
  for (let token = 0; token < length; token += 1) {
    const offset = start + token * width;
    for (let dimension = 0; dimension < width; dimension += 1) {
      target[dimension] = (target[dimension] as number) + (data[offset + dimension] as number);
    }
  }
  for (let dimension = 0; dimension < width; dimension += 1) {
    target[dimension] = (target[dimension] as number) / Math.max(length, 1);
  }
}

function normalizeInPlace(vector: Float32Array): void {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0)
    for (let index = 0; index < vector.length; index += 1)
      vector[index] = (vector[index] as number) / norm;
}

async function createSession(
  ort: typeof import('onnxruntime-node'),
  options: RunnerOptions,
  warnings: string[],
): Promise<{ session: InferenceSession; executionProvider: ExecutionProvider }> {
  const path = join(options.modelDirectory, options.modelFile);
  const sessionOptions = (
    executionProvider: ExecutionProvider,
  ): InferenceSession.SessionOptions => ({
    executionProviders: [executionProvider],
    graphOptimizationLevel: options.graphOptimizationLevel,
    intraOpNumThreads: options.threads,
    extra: { session: { intra_op: { allow_spinning: options.allowSpinning ? '1' : '0' } } },
  });
  const create = async (executionProvider: ExecutionProvider) => {
    try {
      return await ort.InferenceSession.create(path, sessionOptions(executionProvider));
    } catch (error) {
      throw new RunnerError(
        executionProvider === 'cpu' ? 'model-file' : 'runtime',
        executionProvider === 'cpu'
          ? `cannot load ${options.modelFile} (missing, truncated or not an ONNX model): ${(error as Error).message}`
          : describeProviderFailure(executionProvider, error as Error),
        options.modelFile,
      );
    }
  };
  if (options.executionProvider === 'cpu')
    return { session: await create('cpu'), executionProvider: 'cpu' };
  try {
    return {
      session: await create(options.executionProvider),
      executionProvider: options.executionProvider,
    };
  } catch (error) {
    if (!options.fallbackToCpu) throw error;
    warnings.push(`${(error as Error).message}; falling back to the CPU execution provider.`);
    return { session: await create('cpu'), executionProvider: 'cpu' };
  }
}

/** A message that says why a GPU provider failed and what to do about it. */
function describeProviderFailure(executionProvider: ExecutionProvider, error: Error): string {
  const reason = error.message.split('\n')[0] ?? '';
  if (
    executionProvider === 'cuda' &&
    /providers_(shared|cuda)|backend not found|cuda/i.test(reason)
  ) {
    return `The CUDA execution provider is not available (${reason}). onnxruntime-node ships only the CPU and WebGPU binaries; its install script downloads the CUDA 12 provider libraries when run with ONNXRUNTIME_NODE_INSTALL=cuda12 (it is skipped by default), and CUDA 12 + cuDNN 9 must be installed`;
  }
  if (executionProvider === 'webgpu') {
    return `The WebGPU execution provider could not start (${reason}); it needs a Vulkan, Metal or Direct3D 12 adapter. On Linux that means the Vulkan loader (libvulkan.so.1) and the GPU driver's Vulkan driver; in a container with an NVIDIA GPU, the driver's graphics libraries (NVIDIA_DRIVER_CAPABILITIES including graphics) and VK_DRIVER_FILES naming its nvidia_icd.json`;
  }
  return `The ${executionProvider} execution provider could not start (${reason})`;
}
