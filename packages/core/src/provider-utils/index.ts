/**
 * `@twostage/core/provider-utils`: what every provider adapter needs and should not write again.
 * One HTTP call helper (timeout per attempt, the caller's abort, failures as core errors with
 * `isRetryable` and `retryAfterMs`, secrets redacted), option checks, and abort helpers.
 *
 * @example
 * import { postJsonToApi, validateInteger } from '@twostage/core/provider-utils';
 * const { value } = await postJsonToApi({
 *   provider: 'Acme',
 *   url: 'https://api.acme.example/v1/rerank',
 *   headers: { authorization: `Bearer ${apiKey}` },
 *   body: { query, documents },
 *   timeoutMs: 30_000,
 *   abortSignal,
 * });
 * @packageDocumentation
 */
// For stages built on other stages (a vector retriever over an embedding model): the contract
// check core's embed() applies, without its retry loop.
export { checkEmbeddings } from '../embed/check-embeddings.js';
export { throwIfAborted } from '../errors/aborted-error.js';
export { isRetryableStatus } from '../errors/api-call-error.js';
export { redactHeaders, redactSecrets } from '../errors/redact.js';
// A stage's own planLongDocumentWindows: the word-window planner and overlap rule core uses.
export {
  type PlanTextWindowsOptions,
  planTextWindows,
} from '../long-documents/plan-text-windows.js';
export { resolveWindowOverlap } from '../long-documents/resolve-window-overlap.js';
export { parseRetryAfter } from '../retry/parse-retry-after.js';
// Plain-JS callers have no type checker: adapters refuse unknown option names the same way core does.
export { checkOptionNames } from '../util/check-option-names.js';
export { closestName } from '../util/closest-name.js';
export { raceAbort } from '../util/race-abort.js';
export { sleep } from '../util/sleep.js';
export { type ConvertedMetadata, toDocumentMetadata } from '../util/to-document-metadata.js';
export { validateAbortSignal, validateInteger } from '../util/validate-arguments.js';
export { type ApiCallOptions, type ApiResponse, callApi } from './call-api.js';
// Settings every HTTP adapter takes, checked alike.
export { checkBaseUrl } from './check-base-url.js';
export { checkStringHeaders } from './check-string-headers.js';
export {
  type JsonApiResult,
  type PostJsonToApiOptions,
  postJsonToApi,
} from './post-json-to-api.js';
// Object documents for engines that score strings only (TEI, vLLM, Infinity, local ONNX).
export { renderObjectDocument } from './render-object-document.js';
export { validateTimeoutMs } from './validate-timeout-ms.js';
