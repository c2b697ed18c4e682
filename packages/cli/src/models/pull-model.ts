import { AbortedError, ApiCallError, ModelNotFoundError } from '@twostage/core';
import { type ModelDtype, modelCacheDirectory, pullHubModel } from '@twostage/provider-local-onnx';
import { type CliContext, writeLine } from '../cli-context.js';
import { CliError, usageError } from '../cli-error.js';
import { checkedModelDirectory } from './check-hub-id.js';
import { defaultRerankerModel } from './default-reranker-model.js';
import { describeLoadFailure } from './describe-load-failure.js';
import { createDownloadProgress } from './download-progress.js';
import { hubSettingsFromEnv } from './hub-settings.js';
import { listCachedModels } from './list-cached-models.js';
import { printModel } from './print-cached-models.js';

const dtypes: readonly ModelDtype[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4'];

/** How long a pull waits for the hub to answer one request (the body may take longer). */
const answerTimeoutMs = 30_000;

/**
 * `twostage models pull`: downloads the files a model load needs into the cache (progress on a
 * terminal), then prints the model as `models list` shows it.
 *
 * @throws CliError for a bad id, revision or dtype (exit 2), a repository or file the hub does
 *   not have, a hub that cannot be reached, or an interrupted download (exit 1)
 */
export async function pullModel(
  hubId: string,
  options: { revision?: string; dtype?: string; file?: string },
  context: CliContext,
): Promise<void> {
  if (options.dtype !== undefined && !dtypes.includes(options.dtype as ModelDtype)) {
    throw usageError(
      `--dtype must be one of ${dtypes.join(', ')}, got '${options.dtype}'.`,
      'models pull',
    );
  }
  if (options.dtype !== undefined && options.file !== undefined) {
    throw usageError(
      '--dtype and --file both choose the ONNX file: pass one of them.',
      'models pull',
    );
  }
  const isDefault = hubId === defaultRerankerModel.modelId;
  const revision = options.revision ?? (isDefault ? defaultRerankerModel.revision : 'main');
  const modelFile =
    options.file ??
    (options.dtype === undefined && isDefault ? defaultRerankerModel.modelFile : undefined);
  const settings = hubSettingsFromEnv(context, answerTimeoutMs);
  const cacheDirectory = modelCacheDirectory(settings);
  checkedModelDirectory(cacheDirectory, hubId, revision, 'models pull');
  const progress = createDownloadProgress(
    context.stderr,
    `Downloading ${hubId} (revision ${revision}) into ${cacheDirectory}`,
  );
  let directory: string;
  try {
    directory = await pullHubModel(hubId, {
      ...settings,
      revision,
      ...(modelFile === undefined ? {} : { modelFile }),
      ...(options.dtype === undefined ? {} : { dtype: options.dtype as ModelDtype }),
      onDownloadProgress: progress.onProgress,
      abortSignal: context.signal,
    });
  } catch (error) {
    throw pullFailure(error, hubId, revision, context);
  } finally {
    progress.finish();
  }
  const pulled = (await listCachedModels(cacheDirectory)).find(
    (model) => model.directory === directory,
  );
  writeLine(
    context.stdout,
    progress.downloaded ? `Pulled ${hubId} into the cache:` : `${hubId} was already in the cache:`,
  );
  if (pulled !== undefined) printModel(pulled, context);
}

function pullFailure(
  error: unknown,
  hubId: string,
  revision: string,
  context: CliContext,
): unknown {
  if (context.signal.aborted || AbortedError.isInstance(error)) {
    return new CliError(`the download of ${hubId} was interrupted.`, {
      hint: `Complete files are kept; run 'twostage models pull ${hubId}' again to resume.`,
      cause: error,
    });
  }
  if (ModelNotFoundError.isInstance(error)) {
    if (error.message.startsWith('Offline mode')) {
      return new CliError(`${hubId} is not in the cache and offline mode is on.`, {
        hint: 'Unset TWOSTAGE_OFFLINE / HF_HUB_OFFLINE to download it.',
        cause: error,
      });
    }
    const repositoryMissing = / no config\.json /.test(error.message);
    return new CliError(
      repositoryMissing
        ? `the hub has no model ${hubId} at revision ${revision} (its config.json answered 404).`
        : describeLoadFailure(error).text,
      {
        hint: repositoryMissing
          ? 'Check the id (owner/name, as on huggingface.co) and --revision; a gated or private repository needs HF_TOKEN.'
          : 'Pick an ONNX file the repository has: --dtype fp32|fp16|q8|int8|uint8|q4 or --file onnx/<name>.onnx (see its onnx/ folder on the hub).',
        cause: error,
      },
    );
  }
  if (ApiCallError.isInstance(error)) {
    return new CliError(`could not download ${hubId}: ${describeLoadFailure(error).text}`, {
      hint:
        error.statusCode === 401 || error.statusCode === 403
          ? 'The repository is gated or private: set HF_TOKEN to a token that may read it.'
          : 'Check the network (or HF_ENDPOINT) and run the same command again; complete files are kept and a partial one resumes.',
      cause: error,
    });
  }
  return error;
}
