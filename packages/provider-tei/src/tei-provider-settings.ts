/** Settings of `createTei`; everything is optional, the base URL then comes from `TEI_BASE_URL`. */
export type TeiProviderSettings = {
  /**
   * Where TEI (or a load balancer in front of a TEI fleet) listens; a path prefix is kept
   * (`http://host/prefix` + `/rerank`).
   * @default process.env.TEI_BASE_URL (required: no default server)
   */
  baseUrl?: string;
  /**
   * Sent as `Authorization: Bearer <key>` when set (TEI's `--api-key`).
   * @default process.env.TEI_API_KEY, else no Authorization header
   */
  apiKey?: string;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
  /** The `fetch` every request goes through. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /**
   * The most texts one request carries. Unset, the server's `max_client_batch_size` from
   * `GET /info` is used (read once per provider, at the first call).
   */
  maxDocumentsPerCall?: number;
  /**
   * How many texts may be in flight at once across the windows of one call. Unset, the
   * server's `max_concurrent_requests` from `GET /info` (TEI 1.9 answers 429 past it).
   */
  maxConcurrentTexts?: number;
  /**
   * How long one attempt may take, headers and body, before it fails with a retryable
   * `ApiCallError`; core's retries each get the whole time again.
   * @default 60000
   */
  timeoutMs?: number;
};
