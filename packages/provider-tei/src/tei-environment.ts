/** Environment variable holding the base URL of the TEI server (`http://tei:8080`). */
export const teiBaseUrlVariables = ['TEI_BASE_URL'] as const;

/** Environment variable holding the optional API key (TEI's `--api-key`, sent as a Bearer token). */
export const teiApiKeyVariables = ['TEI_API_KEY'] as const;

/** @see TeiProviderSettings.timeoutMs */
export const defaultTeiTimeoutMs = 60_000;

/** TEI's own defaults, used when `GET /info` leaves a limit out. */
export const teiDefaultLimits = { maxClientBatchSize: 32, maxConcurrentRequests: 512 } as const;
