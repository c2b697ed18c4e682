import { statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@twostage/core';
import { resolveCacheDirectory } from './hub/cache-directory.js';
import { hubModelDirectory } from './hub/hub-download.js';
import { pullHubModel } from './hub/pull-hub-model.js';
import type { LocalOnnxModelOptions, LocalOnnxProviderSettings } from './local-onnx-settings.js';
import { mapRunnerError } from './map-runner-error.js';
import {
  checkModelDirectory,
  isLocalModelReference,
  localModelDirectory,
  modelFileFor,
} from './model/model-files.js';
import { type InferenceBackend, startBackend } from './runtime/inference-backend.js';
import type { RunnerOptions } from './runtime/model-runner.js';
import { physicalCoreCount, resolveParallelism } from './runtime/resolve-parallelism.js';
import type { TruncationStrategy } from './tokenizer/truncate-pair.js';

/** The provider name, as in `local-onnx:<model>`. */
export const providerName = 'local-onnx';

/** A model ready to run. */
export type LoadedLocalModel = { directory: string; backend: InferenceBackend };

/** The ONNX file a model's options select. */
export function selectedModelFile(options: LocalOnnxModelOptions): string {
  return options.modelFile ?? modelFileFor(options.dtype ?? 'fp32');
}

/**
 * Where a model's files are (or will be, for a hub id not downloaded yet). Used to read
 * `config.json` synchronously for properties like `scoreKind` and `dimensions`.
 */
export function expectedModelDirectory(
  modelId: string,
  settings: LocalOnnxProviderSettings,
  options: LocalOnnxModelOptions,
): string | undefined {
  if (isLocalModelReference(modelId)) return localModelDirectory(modelId);
  try {
    return hubModelDirectory(
      resolveCacheDirectory(settings.cacheDir),
      modelId,
      options.revision ?? 'main',
    );
  } catch {
    return undefined;
  }
}

/** Integer options and their smallest allowed value; checked before anything loads. */
const integerOptions = {
  maxLength: 1,
  maxBatchTokens: 1,
  maxBatchSize: 1,
  threads: 0,
  workers: 1,
  queryMaxTokens: 0,
} as const;

function checkIntegerOptions(
  options: Partial<Record<keyof typeof integerOptions, number | undefined>>,
): void {
  for (const [name, minimum] of Object.entries(integerOptions)) {
    const value = options[name as keyof typeof integerOptions];
    if (value === undefined) continue;
    // A NaN or negative limit would silently mean "no limit" or slice from the end; Infinity
    // is a fine "no limit" for every option but the thread and worker counts.
    const unlimited =
      value === Number.POSITIVE_INFINITY && name !== 'threads' && name !== 'workers';
    if (!(Number.isSafeInteger(value) || unlimited) || value < minimum) {
      throw new InvalidArgumentError({
        argument: name,
        message: `${name} must be an integer of at least ${minimum}, got ${value}.`,
      });
    }
  }
}

/**
 * Finds (or downloads) the model directory, checks its files, and starts the runtime (a worker
 * thread by default).
 */
export async function loadLocalModel(
  modelId: string,
  settings: LocalOnnxProviderSettings,
  options: LocalOnnxModelOptions & { truncation?: TruncationStrategy; queryMaxTokens?: number },
  abortSignal: AbortSignal | undefined,
): Promise<LoadedLocalModel> {
  // Provider settings are the defaults of these two; checked like the model's own options.
  checkIntegerOptions({
    ...options,
    threads: options.threads ?? settings.threads,
    workers: options.workers ?? settings.workers,
  });
  const modelFile = selectedModelFile(options);
  let directory: string;
  if (isLocalModelReference(modelId)) {
    directory = localModelDirectory(modelId);
  } else {
    directory = await pullHubModel(modelId, { ...settings, ...options, modelFile, abortSignal });
  }
  checkModelDirectory(directory, modelFile, providerName, modelId);
  const executionProvider = options.executionProvider ?? settings.executionProvider ?? 'cpu';
  const inProcess = !(options.worker ?? true);
  if (inProcess && options.workers !== undefined && options.workers > 1) {
    throw new InvalidArgumentError({
      argument: 'workers',
      message: `workers: ${options.workers} needs worker threads; it cannot be combined with worker: false.`,
    });
  }
  const parallelism = resolveParallelism({
    executionProvider,
    inProcess,
    workers: options.workers ?? settings.workers,
    threads: options.threads ?? settings.threads,
    cores: physicalCoreCount(),
    modelBytes: modelFileBytes(directory, modelFile),
  });
  const runnerOptions: RunnerOptions = {
    modelDirectory: directory,
    modelFile,
    executionProvider,
    fallbackToCpu: options.fallbackToCpu ?? true,
    threads: parallelism.threads,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    maxLength: options.maxLength,
    truncation: options.truncation ?? 'longest_first',
    queryMaxTokens: options.queryMaxTokens,
    allowSpinning: options.allowSpinning ?? false,
  };
  try {
    const backend = await startBackend({
      runner: runnerOptions,
      workers: parallelism.workers,
      inProcess,
      limits: {
        maxBatchTokens: options.deterministic ? 1 : (options.maxBatchTokens ?? 512),
        maxBatchSize: options.deterministic ? 1 : (options.maxBatchSize ?? 32),
      },
    });
    return { directory, backend };
  } catch (error) {
    throw mapRunnerError(error, { provider: providerName, modelId, directory });
  }
}

/** Bytes of the ONNX file plus its external data file, if any (0 when unreadable). */
function modelFileBytes(directory: string, modelFile: string): number {
  let total = 0;
  for (const file of [modelFile, `${modelFile}_data`]) {
    try {
      total += statSync(join(directory, file)).size;
    } catch {
      // absent external data is the common case
    }
  }
  return total;
}
