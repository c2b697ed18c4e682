import type { RerankCompatibleApi } from './rerank-compatible-api.js';

/** Settings of {@link createRerankCompatible}; each is checked when the provider is created. */
export type RerankCompatibleProviderSettings = {
  /**
   * Where the engine listens; a path prefix is kept (`http://host/prefix` + `/v2/rerank`). For
   * Infinity started with `--url-prefix /v1`, include `/v1` here.
   * @default process.env.RERANK_COMPATIBLE_BASE_URL (required: no default server)
   */
  baseUrl?: string;
  /**
   * The wire shape: `cohere-v2` (`POST /v2/rerank`, vLLM's Cohere route), `jina-v1`
   * (`POST /v1/rerank`, vLLM's Jina route) or `infinity` (`POST /rerank`).
   * @default process.env.RERANK_COMPATIBLE_API (required)
   */
  api?: RerankCompatibleApi;
  /**
   * Sent as `Authorization: Bearer <key>` when set (vLLM's and Infinity's `--api-key`).
   * @default process.env.RERANK_COMPATIBLE_API_KEY, else no Authorization header
   */
  apiKey?: string;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
  /** The `fetch` every request goes through. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /**
   * The most documents one request carries; core windows larger candidate sets. Set it to the
   * server's limit (Infinity: `INFINITY_MAX_CLIENT_BATCH_SIZE`).
   * @default 1000
   */
  maxDocumentsPerCall?: number;
  /**
   * How long one attempt may take, headers and body, before it fails with a retryable
   * `ApiCallError`; core's retries each get the whole time again.
   * @default 60000
   */
  timeoutMs?: number;
};
