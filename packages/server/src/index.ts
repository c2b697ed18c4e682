/**
 * `@twostage/server`: a self-hosted rerank server with Cohere- and TEI-shaped routes,
 * cross-request micro-batching, limits, bearer auth and Prometheus metrics.
 * @packageDocumentation
 */
export { createBearerCheck, parseServerTokens } from './check-bearer-token.js';
export { createRerankServer, isLoopbackHost, type RerankServer } from './create-rerank-server.js';
export { createServerLogger } from './create-server-logger.js';
export {
  type RerankBatchEvent,
  RerankBatcher,
  type RerankBatcherOptions,
} from './rerank-batcher.js';
export type {
  RerankServerBatching,
  RerankServerLimits,
  RerankServerOptions,
} from './rerank-server-options.js';
export { ServerError, type ServerErrorKind, type TeiErrorType } from './server-error.js';
export { VERSION } from './version.js';
