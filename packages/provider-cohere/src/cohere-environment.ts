/** The Cohere API when no `baseUrl` is given (the official SDK's `CohereEnvironment.Production`). */
export const defaultCohereBaseUrl = 'https://api.cohere.com';

/** Environment variables holding the API key, in the order they are read. */
export const cohereApiKeyVariables = ['COHERE_API_KEY', 'CO_API_KEY'] as const;

/** Environment variable holding the base URL (a self-hosted, Cohere-compatible server). */
export const cohereBaseUrlVariables = ['COHERE_BASE_URL'] as const;

/** @see CohereProviderSettings.timeoutMs */
export const defaultCohereTimeoutMs = 60_000;
