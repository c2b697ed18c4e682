import {
  AbortedError,
  InvalidArgumentError,
  ModelNotFoundError,
  TwostageError,
} from '@twostage/core';
import { RunnerError } from './runtime/model-runner.js';

/** Maps an error from the inference runner (or worker) into the core error family. */
export function mapRunnerError(
  error: unknown,
  context: {
    provider: string;
    modelId: string;
    directory: string;
    abortSignal?: AbortSignal | undefined;
  },
): unknown {
  if (TwostageError.isInstance(error)) return error;
  if (!(error instanceof RunnerError)) {
    return new TwostageError({
      name: 'LocalInferenceError',
      message: `Local inference with '${context.modelId}' failed: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  switch (error.code) {
    case 'cancelled':
      return new AbortedError({ reason: context.abortSignal?.reason });
    case 'invalid-input':
      return new InvalidArgumentError({
        argument: 'documents',
        message: error.message,
        cause: error,
      });
    case 'model-file':
    case 'tokenizer':
      return new ModelNotFoundError({
        provider: context.provider,
        modelId: context.modelId,
        message: `Model '${context.modelId}' in '${context.directory}' is unusable: ${error.message}`,
        cause: error,
      });
    default:
      return new TwostageError({
        name: 'LocalInferenceError',
        message: `Local inference with '${context.modelId}' failed: ${error.message}`,
        cause: error,
      });
  }
}
