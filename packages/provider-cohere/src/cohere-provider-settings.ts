/** Settings of {@link createCohere}; every field is optional. */
export type CohereProviderSettings = {
  /**
   * The Cohere API key. Read at the first call, not when the provider is created.
   * @default process.env.COHERE_API_KEY, else process.env.CO_API_KEY
   */
  apiKey?: string;
  /**
   * Where the API lives. Any Cohere-compatible server works (a self-hosted rerank server, a
   * proxy); a path prefix is kept (`http://host/prefix` calls `http://host/prefix/v2/rerank`).
   * @default process.env.COHERE_BASE_URL, else 'https://api.cohere.com'
   */
  baseUrl?: string;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * How long one request may take, headers and body, before it fails with a retryable
   * `ApiCallError`. The official SDK's default (300 s) is far too long for a reranking step in a
   * request path.
   * @default 60000
   */
  timeoutMs?: number;
  /** Sent as the `X-Client-Name` header, which Cohere uses to attribute traffic. */
  clientName?: string;
  /**
   * The `fetch` every request goes through (a proxy agent, instrumentation).
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
};
