/** Environment variable holding the base URL (`http://vllm:8000`, `http://infinity:7997`). */
export const rerankCompatibleBaseUrlVariables = ['RERANK_COMPATIBLE_BASE_URL'] as const;

/** Environment variable holding the API shape (`cohere-v2`, `jina-v1` or `infinity`). */
export const rerankCompatibleApiVariables = ['RERANK_COMPATIBLE_API'] as const;

/** Environment variable holding the optional API key (sent as a Bearer token). */
export const rerankCompatibleApiKeyVariables = ['RERANK_COMPATIBLE_API_KEY'] as const;

/** @see RerankCompatibleProviderSettings.timeoutMs */
export const defaultRerankCompatibleTimeoutMs = 60_000;

/**
 * @see RerankCompatibleProviderSettings.maxDocumentsPerCall. Under Infinity's default
 * `INFINITY_MAX_CLIENT_BATCH_SIZE` (2048) and at Cohere's recommended 1,000; vLLM has no cap of
 * its own, and one huge request would hold a whole fleet's replica.
 */
export const defaultRerankCompatibleMaxDocumentsPerCall = 1000;
