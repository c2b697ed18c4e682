import { type Index, Pinecone } from '@pinecone-database/pinecone';
import {
  type HeadersV1,
  loadOptionalSetting,
  loadSetting,
  raceAbort,
  throwIfAborted,
} from '@twostage/core';
import { type CallContext, callContext } from './call-context.js';
import { mapPineconeError } from './map-pinecone-error.js';
import { createPineconeFetch } from './pinecone-fetch.js';

/** How to reach Pinecone; see `createPinecone`. */
export type PineconeConnectionSettings = {
  apiKey?: string | undefined;
  controllerHostUrl?: string | undefined;
  indexHost?: string | Readonly<Record<string, string>> | undefined;
  headers?: Record<string, string | undefined> | undefined;
  timeoutMs?: number | undefined;
  fetch?: typeof globalThis.fetch | undefined;
};

/** @see PineconeProviderSettings.timeoutMs */
export const defaultPineconeTimeoutMs = 30_000;

/** The per-call options every operation takes. */
export type CallOptions = {
  abortSignal?: AbortSignal | undefined;
  headers?: HeadersV1 | undefined;
};

/**
 * One lazily built Pinecone client and everything around it: the API key read at first use
 * (so constructing a provider never throws without one), the fetch wrapper, abort handling and
 * error mapping. Shared by the provider's retrievers, stages and ingestion.
 */
export class PineconeConnection {
  // ECMAScript-private (`#`), not TypeScript `private`: the settings, the client and its index
  // handles all hold the API key, and `util.inspect` / `JSON.stringify` of a stage (which holds
  // this connection) print every ordinary field, TS-private or not.
  #client: Pinecone | undefined;
  #apiKey: string | undefined;
  readonly #indexes = new Map<string, Index>();
  readonly #settings: PineconeConnectionSettings;

  constructor(settings: PineconeConnectionSettings) {
    this.#settings = settings;
  }

  /**
   * Runs `operation` against the client inside a call context (abort signal and headers for the
   * fetch wrapper), released at once on abort, with every failure mapped to the core errors.
   */
  async run<T>(
    operation: string,
    fn: (client: Pinecone) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    throwIfAborted(options.abortSignal);
    const context: CallContext = { abortSignal: options.abortSignal, headers: options.headers };
    const client = this.#getClient();
    try {
      return await raceAbort(
        callContext.run(context, () => fn(client)),
        options.abortSignal,
      );
    } catch (error) {
      throw mapPineconeError(error, { secrets: this.secrets(), context, operation });
    }
  }

  /** The data-plane handle of an index (cached), bound to `namespace` (the default when absent). */
  index(name: string, namespace: string | undefined, host?: string): Index {
    const resolvedHost = host ?? this.#indexHostOf(name);
    const key = JSON.stringify([name, namespace ?? null, resolvedHost ?? null]);
    let index = this.#indexes.get(key);
    if (index === undefined) {
      const client = this.#getClient();
      index = client.index({
        name,
        ...(namespace === undefined ? {} : { namespace }),
        ...(resolvedHost === undefined ? {} : { host: resolvedHost }),
      });
      this.#indexes.set(key, index);
    }
    return index;
  }

  /** The secrets to redact from anything that leaves the adapter. */
  secrets(): readonly string[] {
    return this.#apiKey === undefined ? [] : [this.#apiKey];
  }

  #indexHostOf(name: string): string | undefined {
    const { indexHost } = this.#settings;
    if (indexHost === undefined || typeof indexHost === 'string') return indexHost;
    return Object.hasOwn(indexHost, name) ? indexHost[name] : undefined;
  }

  #getClient(): Pinecone {
    if (this.#client !== undefined) return this.#client;
    const apiKey = loadSetting({
      value: this.#settings.apiKey,
      setting: 'apiKey',
      environmentVariables: ['PINECONE_API_KEY'],
      description: 'Pinecone API key',
    });
    this.#apiKey = apiKey;
    const controllerHostUrl = loadOptionalSetting({
      value: this.#settings.controllerHostUrl,
      environmentVariables: ['PINECONE_CONTROLLER_HOST'],
    });
    this.#client = new Pinecone({
      apiKey,
      ...(controllerHostUrl === undefined ? {} : { controllerHostUrl }),
      // The client's retry loop is off: core's loop is the only one (see createPineconeFetch).
      maxRetries: 0,
      fetchApi: createPineconeFetch({
        baseFetch: this.#settings.fetch ?? globalThis.fetch,
        headers: this.#settings.headers,
        secrets: () => this.secrets(),
        timeoutMs: this.#settings.timeoutMs ?? defaultPineconeTimeoutMs,
      }),
    });
    return this.#client;
  }
}
