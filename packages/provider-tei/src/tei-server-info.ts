import { InvalidResponseError } from '@twostage/core';
import { raceAbort } from '@twostage/core/provider-utils';
import { callTei } from './call-tei.js';
import { teiDefaultLimits } from './tei-environment.js';
import type { TeiProviderSettings } from './tei-provider-settings.js';

/** The limits this provider reads from TEI's `GET /info`. */
export type TeiServerInfo = {
  /** `max_client_batch_size`: the most texts one request may carry (TEI default 32). */
  maxClientBatchSize: number;
  /** `max_concurrent_requests`: TEI 1.9 takes one permit per text and answers 429 past them. */
  maxConcurrentRequests: number;
  /** `model_id`, when reported. */
  modelId: string | undefined;
};

/**
 * Reads `GET /info` once per provider, lazily: concurrent first calls share one fetch, and a
 * failed fetch is forgotten so that the next call tries again.
 */
export class TeiServerInfoCache {
  #pending: Promise<TeiServerInfo> | undefined;
  readonly #settings: TeiProviderSettings;

  constructor(settings: TeiProviderSettings) {
    this.#settings = settings;
  }

  /** The server's limits; fetched at the first call only. */
  get(modelId: string, abortSignal: AbortSignal | undefined): Promise<TeiServerInfo> {
    if (this.#pending === undefined) {
      // The shared fetch does not take one caller's abort signal: its abort would fail the others.
      const pending = this.#fetch(modelId).catch((error: unknown) => {
        this.#pending = undefined;
        throw error;
      });
      this.#pending = pending;
    }
    // A caller's abort ends its own wait (as an AbortedError), never the shared fetch.
    return raceAbort(this.#pending, abortSignal);
  }

  async #fetch(modelId: string): Promise<TeiServerInfo> {
    const response = await callTei({
      settings: this.#settings,
      route: '/info',
      method: 'GET',
      abortSignal: undefined,
      headers: undefined,
    });
    return parseTeiServerInfo(response.text, modelId);
  }
}

/** Reads the JSON text of `GET /info`; missing limits take TEI's defaults. */
export function parseTeiServerInfo(text: string, modelId: string): TeiServerInfo {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidResponseError({
      provider: 'tei',
      modelId,
      message: 'GET /info did not answer a JSON object.',
    });
  }
  const record = value as Record<string, unknown>;
  const positive = (field: unknown, fallback: number) =>
    typeof field === 'number' && Number.isInteger(field) && field >= 1 ? field : fallback;
  return {
    maxClientBatchSize: positive(record.max_client_batch_size, teiDefaultLimits.maxClientBatchSize),
    maxConcurrentRequests: positive(
      record.max_concurrent_requests,
      teiDefaultLimits.maxConcurrentRequests,
    ),
    modelId: typeof record.model_id === 'string' ? record.model_id : undefined,
  };
}
