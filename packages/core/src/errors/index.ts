export { AbortedError, throwIfAborted } from './aborted-error.js';
export { ApiCallError, isRetryableStatus } from './api-call-error.js';
export { InvalidArgumentError } from './invalid-argument-error.js';
export { MissingSettingError } from './missing-setting-error.js';
export { ModelNotFoundError } from './model-not-found-error.js';
export { ProviderNotFoundError } from './provider-not-found-error.js';
export { redactHeaders, redactSecrets } from './redact.js';
export { RetryError } from './retry-error.js';
export { TwostageError } from './twostage-error.js';
