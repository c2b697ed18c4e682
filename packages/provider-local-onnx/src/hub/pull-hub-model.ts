import { loadOptionalSetting } from '@twostage/core';
import type { LocalOnnxModelOptions, LocalOnnxProviderSettings } from '../local-onnx-settings.js';
import { modelFileFor, optionalModelFiles, requiredModelFiles } from '../model/model-files.js';
import { resolveCacheDirectory, resolveHubEndpoint, resolveOffline } from './cache-directory.js';
import { downloadHubModel } from './hub-download.js';

/** Options of {@link pullHubModel}: the provider settings plus which files of the repository. */
export type PullHubModelOptions = LocalOnnxProviderSettings &
  Pick<LocalOnnxModelOptions, 'dtype' | 'modelFile' | 'revision'> & {
    /** Stops the download; the `.partial` file stays and the next pull resumes it. */
    abortSignal?: AbortSignal | undefined;
  };

/**
 * The cache root models are downloaded into: the `cacheDir` setting, else `TWOSTAGE_CACHE_DIR`,
 * else the user's cache directory. A hub model lands in
 * `{root}/hub/{owner}/{name}/{revision}/`.
 */
export function modelCacheDirectory(settings: Pick<LocalOnnxProviderSettings, 'cacheDir'> = {}) {
  return resolveCacheDirectory(settings.cacheDir);
}

/**
 * Makes sure the files a model load needs are in the cache (`config.json`, the tokenizer files,
 * the ONNX file its `dtype` / `modelFile` selects, and the optional sentence-transformers files
 * the repository has), downloading what is missing, and returns the model directory. The same
 * files, in the same place, as the first call of a reranker or embedding model with these
 * options, so a model pulled ahead of time loads offline.
 *
 * @throws ModelNotFoundError when the repository or a required file is not on the hub (a 404),
 *   or, in offline mode, not in the cache
 * @throws ApiCallError when the hub cannot be reached or a download fails
 */
export async function pullHubModel(
  modelId: string,
  options: PullHubModelOptions = {},
): Promise<string> {
  const modelFile = options.modelFile ?? modelFileFor(options.dtype ?? 'fp32');
  return downloadHubModel({
    repository: modelId,
    revision: options.revision ?? 'main',
    files: [...requiredModelFiles, modelFile],
    optionalFiles: [...optionalModelFiles, `${modelFile}_data`],
    cacheDirectory: resolveCacheDirectory(options.cacheDir),
    endpoint: resolveHubEndpoint(options.hubEndpoint),
    token: loadOptionalSetting({
      value: options.hubToken,
      environmentVariables: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'],
    }),
    offline: resolveOffline(options.offline),
    fetch: options.fetch,
    onProgress: options.onDownloadProgress,
    abortSignal: options.abortSignal,
    provider: 'local-onnx',
  });
}
