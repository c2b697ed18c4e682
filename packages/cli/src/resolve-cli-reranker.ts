import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { AbortedError, type RerankStageV1, resolveReranker } from '@twostage/core';
import {
  createLocalOnnx,
  type LocalOnnxRerankStage,
  modelCacheDirectory,
} from '@twostage/provider-local-onnx';
import type { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';
import { defaultRerankerModel } from './models/default-reranker-model.js';
import { describeLoadFailure, type LoadFailure, oneLine } from './models/describe-load-failure.js';
import { createDownloadProgress } from './models/download-progress.js';
import { hubSettingsFromEnv } from './models/hub-settings.js';

/**
 * The reranker a command runs when neither `--reranker` nor `TWOSTAGE_RERANKER` names one: a
 * real multilingual cross-encoder (`cross-encoder/mmarco-mMiniLMv2-L12-H384-v1`, int8 ONNX),
 * run in process by the local ONNX provider and downloaded once into the model cache. See
 * `docs/cli.md` for the choice.
 */
export const defaultRerankerRef = `local-onnx:${defaultRerankerModel.modelId}`;

/**
 * How long the default model's download waits for the hub to answer a request. Offline, a
 * name that does not resolve or a refused connection fails at once; this bounds the case of a
 * network that silently drops packets, so `query` shows stage-1 results within seconds.
 */
const defaultModelAnswerTimeoutMs = 10_000;

/** How long a download of a model the user named waits for the hub to answer a request. */
const namedModelAnswerTimeoutMs = 30_000;

/** What a command re-ranks with, or why it cannot. */
export type CliReranker =
  | {
      /** The stage, ready to use (a local model is already loaded). */
      reranker: RerankStageV1;
      /** `provider:modelId`, as shown in tables and reports. */
      label: string;
      /** Whether this is core's term-overlap stand-in (`mock`), labelled as such wherever shown. */
      standIn: boolean;
    }
  | UnavailableReranker;

/** The default reranker could not be had; the command shows stage-1 results "not re-ranked". */
export type UnavailableReranker = {
  reranker: undefined;
  /** The reference that could not be had. */
  label: string;
  /** One line: why it is unavailable. */
  reason: string;
  /** One line: how to fix it. */
  hint: string;
};

/**
 * Resolves the reranker from `--reranker`, else `TWOSTAGE_RERANKER`, else the default model.
 * Local ONNX models are loaded (and downloaded, with progress on a terminal) here, before any
 * retrieval, so a model that cannot be had is known at once rather than after core's retries.
 * An explicitly named reranker that fails is an error (the user asked for it); the default one
 * that cannot be had (no network and no cached copy) comes back as unavailable, so the command
 * shows stage-1 results marked "not re-ranked" instead of failing. Ctrl-C is never swallowed.
 *
 * @throws CliError when a named local model cannot be loaded
 * @throws AbortedError when the context's signal fires during a download
 */
export async function resolveCliReranker(
  flag: string | undefined,
  context: CliContext,
): Promise<CliReranker> {
  const explicit = nonEmpty(flag) ?? nonEmpty(context.env.TWOSTAGE_RERANKER);
  if (explicit === undefined) return resolveDefaultReranker(context);
  if (explicit.startsWith('local-onnx:')) {
    const reranker = await loadNamedLocalModel(explicit, context);
    return { reranker, label: labelOf(reranker), standIn: false };
  }
  const reranker = await resolveReranker(explicit, { cwd: context.cwd });
  return { reranker, label: labelOf(reranker), standIn: reranker.provider === 'mock' };
}

async function resolveDefaultReranker(context: CliContext): Promise<CliReranker> {
  const { modelId, revision, modelFile } = defaultRerankerModel;
  const settings = hubSettingsFromEnv(context, defaultModelAnswerTimeoutMs);
  const progress = createDownloadProgress(
    context.stderr,
    `twostage: downloading the default reranker ${modelId} (about 136 MB, once) into ${modelCacheDirectory(settings)}`,
  );
  const stage = createLocalOnnx({ ...settings, onDownloadProgress: progress.onProgress }).reranker(
    modelId,
    { revision, modelFile },
  );
  try {
    await stage.load(context.signal);
    return { reranker: stage, label: labelOf(stage), standIn: false };
  } catch (error) {
    await stage.close();
    if (context.signal.aborted || AbortedError.isInstance(error)) throw error;
    return {
      reranker: undefined,
      label: defaultRerankerRef,
      reason: defaultUnavailableReason(describeLoadFailure(error)),
      hint: `run 'twostage models pull ${modelId}' once with network access, or pass --reranker local-onnx:<model dir>, or set TWOSTAGE_RERANKER=cohere:rerank-multilingual-v3.0 (with COHERE_API_KEY)`,
    };
  } finally {
    progress.finish();
  }
}

function defaultUnavailableReason(failure: LoadFailure): string {
  const { modelId } = defaultRerankerModel;
  return failure.kind === 'other'
    ? `the default reranker ${modelId} could not be loaded (${failure.text})`
    : `the default reranker ${modelId} is not in the model cache and ${failure.text}`;
}

/**
 * A `local-onnx:<hub id | dir>` the user named, loaded now. A relative directory is taken from
 * the context's cwd; the default model's id gets the default's pinned revision and int8 file.
 */
async function loadNamedLocalModel(
  ref: string,
  context: CliContext,
): Promise<LocalOnnxRerankStage> {
  const named = ref.slice('local-onnx:'.length).trim();
  const relativeDirectory =
    named.startsWith('.') || (!isAbsolute(named) && existsSync(resolve(context.cwd, named)));
  const modelId = relativeDirectory ? resolve(context.cwd, named) : named;
  const settings = hubSettingsFromEnv(context, namedModelAnswerTimeoutMs);
  const progress = createDownloadProgress(
    context.stderr,
    `twostage: downloading ${named} into ${modelCacheDirectory(settings)}`,
  );
  const options =
    modelId === defaultRerankerModel.modelId
      ? { revision: defaultRerankerModel.revision, modelFile: defaultRerankerModel.modelFile }
      : {};
  const stage = createLocalOnnx({ ...settings, onDownloadProgress: progress.onProgress }).reranker(
    modelId,
    options,
  );
  try {
    await stage.load(context.signal);
    return stage;
  } catch (error) {
    await stage.close();
    if (context.signal.aborted || AbortedError.isInstance(error)) throw error;
    throw new CliError(
      `the reranker ${ref} could not be loaded: ${describeLoadFailure(error).text}`,
      {
        hint: "Check the hub id or the model directory (config.json, tokenizer.json, onnx/model.onnx); 'twostage models list' shows the cache, 'twostage models pull <hub id>' fills it.",
        cause: error,
      },
    );
  } finally {
    progress.finish();
  }
}

/**
 * The one line `query`, `eval` and the main job print when the default reranker is unavailable:
 * what happened, that the results are stage 1 only, and how to fix it.
 */
export function rerankerUnavailableNotice(unavailable: UnavailableReranker): string {
  return oneLine(
    `twostage: ${unavailable.reason}; showing stage-1 results, not re-ranked. Fix: ${unavailable.hint}.`,
    1000,
  );
}

/** `provider:modelId` of a stage, with the stand-in marked. */
export function labelOf(reranker: RerankStageV1): string {
  const label = `${reranker.provider}:${reranker.modelId}`;
  return reranker.provider === 'mock' ? `${label} (stand-in: term overlap, not a model)` : label;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
