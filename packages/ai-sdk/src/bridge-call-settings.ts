import { validateInteger, validateTimeoutMs } from '@twostage/core/provider-utils';

/**
 * How a twostage stage bridged into the AI SDK runs each call through core: core's retry loop is
 * the only one (twostage errors are not the AI SDK's `APICallError`, so the AI SDK's own loop
 * never retries them), and core windows or batches by the stage's limits.
 */
export type BridgeCallSettings = {
  /**
   * Retries of each window or batch after a retryable failure, by core.
   * @default 2
   */
  maxRetries?: number;
  /**
   * The most windows or batches in flight at once.
   * @default 4
   */
  maxConcurrency?: number;
  /**
   * The deadline of one bridged call, retries included; `Infinity` for none.
   * @default core's: 60000 for rerank, 600000 for embedMany
   */
  timeoutMs?: number;
};

/** The names of {@link BridgeCallSettings}, for option-name checks. */
export const bridgeCallSettingNames = ['maxRetries', 'maxConcurrency', 'timeoutMs'] as const;

/** Checks the call settings where they are given, so a bad value fails at creation, not per call. */
export function checkBridgeCallSettings(options: Record<string, unknown>): BridgeCallSettings {
  const settings: BridgeCallSettings = {};
  if (options.maxRetries !== undefined) {
    settings.maxRetries = validateInteger(options.maxRetries, 'options.maxRetries', { min: 0 });
  }
  if (options.maxConcurrency !== undefined) {
    settings.maxConcurrency = validateInteger(options.maxConcurrency, 'options.maxConcurrency', {
      min: 1,
      allowInfinity: true,
    });
  }
  if (options.timeoutMs !== undefined) {
    settings.timeoutMs =
      options.timeoutMs === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : (validateTimeoutMs(options.timeoutMs, 'options.timeoutMs') as number);
  }
  return settings;
}
