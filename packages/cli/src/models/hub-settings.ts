import {
  type ExecutionProvider,
  type LocalOnnxProviderSettings,
  modelCacheDirectory,
} from '@twostage/provider-local-onnx';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';

/** The execution providers `TWOSTAGE_EXECUTION_PROVIDER` and `--execution-provider` accept. */
export const executionProviders = ['cpu', 'cuda', 'webgpu'] as const;

import { fetchWithAnswerTimeout } from './fetch-with-answer-timeout.js';

/**
 * The local ONNX provider's hub settings from the CLI's environment (never `process.env`):
 * `TWOSTAGE_CACHE_DIR`, `HF_ENDPOINT`, `HF_TOKEN` / `HUGGING_FACE_HUB_TOKEN`, `TWOSTAGE_OFFLINE` /
 * `HF_HUB_OFFLINE`, and where models run: `TWOSTAGE_EXECUTION_PROVIDER` (`cpu`, `cuda`, `webgpu`;
 * an unavailable GPU falls back to the CPU with a warning).
 * Requests that get no answer within `answerTimeoutMs` fail, so a machine without network learns
 * it in seconds instead of waiting on the operating system's timeouts.
 *
 * @throws CliError when `TWOSTAGE_EXECUTION_PROVIDER` names no execution provider
 */
export function hubSettingsFromEnv(
  context: CliContext,
  answerTimeoutMs: number,
): LocalOnnxProviderSettings {
  const { env } = context;
  const settings: LocalOnnxProviderSettings = {
    offline: isTrue(env.TWOSTAGE_OFFLINE) || isTrue(env.HF_HUB_OFFLINE),
    fetch: fetchWithAnswerTimeout(answerTimeoutMs),
  };
  const cacheDir = nonEmpty(env.TWOSTAGE_CACHE_DIR);
  if (cacheDir !== undefined) settings.cacheDir = cacheDir;
  const hubEndpoint = nonEmpty(env.HF_ENDPOINT);
  if (hubEndpoint !== undefined) settings.hubEndpoint = hubEndpoint;
  const hubToken = nonEmpty(env.HF_TOKEN) ?? nonEmpty(env.HUGGING_FACE_HUB_TOKEN);
  if (hubToken !== undefined) settings.hubToken = hubToken;
  const executionProvider = nonEmpty(env.TWOSTAGE_EXECUTION_PROVIDER);
  if (executionProvider !== undefined) {
    if (!(executionProviders as readonly string[]).includes(executionProvider)) {
      throw new CliError(
        `TWOSTAGE_EXECUTION_PROVIDER must be one of ${executionProviders.join(', ')}, not '${executionProvider}'.`,
        { hint: 'Unset it to run on the CPU.' },
      );
    }
    settings.executionProvider = executionProvider as ExecutionProvider;
  }
  return settings;
}

/** The model cache the CLI's environment selects (`TWOSTAGE_CACHE_DIR`, else the user's cache directory). */
export function cacheDirectoryFromEnv(context: CliContext): string {
  const cacheDir = nonEmpty(context.env.TWOSTAGE_CACHE_DIR);
  return modelCacheDirectory(cacheDir === undefined ? {} : { cacheDir });
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
