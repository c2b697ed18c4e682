import type { DownloadProgressEvent } from './hub/hub-download.js';
import type { Activation, Pooling } from './model/model-config.js';
import type { ModelDtype } from './model/model-files.js';
import type { ExecutionProvider } from './runtime/model-runner.js';
import type { TruncationStrategy } from './tokenizer/truncate-pair.js';

/** Settings of a provider instance ({@link createLocalOnnx}); each model inherits them. */
export type LocalOnnxProviderSettings = {
  /**
   * Cache root for hub downloads. Falls back to `TWOSTAGE_CACHE_DIR`, then the user's cache
   * directory (`$XDG_CACHE_HOME/twostage`, `~/.cache/twostage`, ...).
   */
  cacheDir?: string;
  /** Hub base URL. Falls back to `HF_ENDPOINT`. @default 'https://huggingface.co' */
  hubEndpoint?: string;
  /** Token for gated or private hub repositories. Falls back to `HF_TOKEN`. */
  hubToken?: string;
  /** Use only local directories and the cache; never touch the network. Falls back to `TWOSTAGE_OFFLINE` / `HF_HUB_OFFLINE`. @default false */
  offline?: boolean;
  /** A `fetch` implementation for downloads (proxies, tests). @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Called as model files download. */
  onDownloadProgress?: (event: DownloadProgressEvent) => void;
  /** Default execution provider of every model. @default 'cpu' */
  executionProvider?: ExecutionProvider;
  /** Default intra-op threads per session of every model; 0 = automatic (the cores split between the sessions). @default 0 */
  threads?: number;
  /** Default number of parallel sessions (worker threads) of every model. @default automatic: see {@link LocalOnnxModelOptions.workers} */
  workers?: number;
};

/** Options shared by rerankers and embedding models. */
export type LocalOnnxModelOptions = {
  /** Which ONNX file: `fp32` → `onnx/model.onnx`, `q8` → `onnx/model_quantized.onnx` (int8 dynamic quantization). @default 'fp32' */
  dtype?: ModelDtype;
  /** An explicit ONNX file, relative to the model directory; overrides `dtype`. */
  modelFile?: string;
  /** Hub revision (branch, tag or commit). @default 'main' */
  revision?: string;
  /** Where inference runs; an unavailable GPU provider falls back to the CPU with a warning. @default the provider setting, else 'cpu' */
  executionProvider?: ExecutionProvider;
  /** Fall back to the CPU when the execution provider cannot start. @default true */
  fallbackToCpu?: boolean;
  /**
   * Intra-op threads per session; 0 = automatic: the physical cores divided by the number of
   * sessions (at least 1). Sessions × threads above the core count slow everything down.
   * @default the provider setting, else 0
   */
  threads?: number;
  /**
   * Sessions that run batches in parallel, each in its own worker thread with its own copy of the
   * weights. A call's batches are spread over them, so one call uses them all. Automatic on the
   * CPU: 2 (or 1 on a single core, or for a model file over 1.5 GiB, or when `threads` asks for
   * more than half the cores), because two single-threaded sessions outran one two-threaded
   * session on int8 cross-encoder batches (1.0–1.4×, about even at fp32; see BENCHMARKS.md). Always 1 on a GPU
   * provider and with `worker: false`.
   * @default the provider setting, else automatic
   */
  workers?: number;
  /** onnxruntime graph optimization level (transformers.js uses the default, 'all'). @default 'all' */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Longest input in tokens, capped by the model's own limit. @default min(model_max_length, max_position_embeddings − offset) */
  maxLength?: number;
  /**
   * Most padded tokens (rows × longest row) per `session.run`; a longer input runs alone. Small
   * batches suit a CPU: short inputs still share a run, long ones do not inflate the attention
   * tensors (MiniLM-L6 shape, 2 cores: 256–512 fastest for 10–50-word documents; for 30–400-word
   * ones budgets from 1 to 1024 were within noise, very large ones slower; see BENCHMARKS.md).
   * @default 512
   */
  maxBatchTokens?: number;
  /** Most rows per `session.run`. @default 32 */
  maxBatchSize?: number;
  /**
   * Run each input alone (batches of one). fp32 scores do not depend on batching anyway; int8
   * (dynamically quantized) scores do, because the activation scale is computed over the whole
   * batch, so this makes q8 scores independent of what else is in the call.
   * @default false
   */
  deterministic?: boolean;
  /**
   * Let onnxruntime's idle intra-op threads spin (busy-wait) between operators instead of
   * sleeping. Spinning shaves wake-up latency but burns CPU that the rest of the process (or other
   * processes) could use. @default false
   */
  allowSpinning?: boolean;
  /** Run inference in a worker thread, so the event loop stays responsive. @default true */
  worker?: boolean;
};

/** Options of a cross-encoder rerank stage. */
export type LocalOnnxRerankerOptions = LocalOnnxModelOptions & {
  /**
   * How logits become scores. Default from `config.json`: `sentence_transformers.activation_fn`,
   * then `sbert_ce_default_activation_function`, else sigmoid for one logit and softmax for two.
   * `scoreKind` follows: 'probability' for sigmoid/softmax, 'logit' for identity.
   */
  activation?: Activation;
  /** `longest_first` (sentence-transformers, TEI) or `only_second` with a query cap (FlagEmbedding). @default 'longest_first' */
  truncation?: TruncationStrategy;
  /** Query cap in tokens for `only_second`. @default ¾ of the max length */
  queryMaxTokens?: number;
  /** Most documents per `doRerank` call; core windows larger inputs. @default undefined (unlimited) */
  maxDocumentsPerCall?: number;
};

/** Options of a bi-encoder embedding model. */
export type LocalOnnxEmbeddingModelOptions = LocalOnnxModelOptions & {
  /** Mean or CLS pooling. @default from `1_Pooling/config.json`, else 'mean' */
  pooling?: Pooling;
  /** L2-normalise the vectors. @default true */
  normalize?: boolean;
  /** Prepended to queries. @default from `config_sentence_transformers.json` prompts, 'query: ' for e5 models, else '' */
  queryPrefix?: string;
  /** Prepended to documents. @default from the prompts, 'passage: ' for e5 models, else '' */
  documentPrefix?: string;
  /** Most values per `doEmbed` call. @default 256 */
  maxEmbeddingsPerCall?: number;
};
