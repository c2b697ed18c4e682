import type { EmbeddingModelV1, RerankStageV1 } from '@twostage/core';
import type { FastifyRequest } from 'fastify';
import type { AdmissionLimit } from './admission-limit.js';
import type { RerankBatcher } from './rerank-batcher.js';
import type { ResolvedServerOptions } from './rerank-server-options.js';
import type { ServerMetrics } from './server-metrics.js';

/** What one request did, for its log line. */
export type RequestFacts = { documents?: number; tokens?: number; queueWaitMs?: number };

/** What the route files share. */
export type ServerContext = {
  reranker: RerankStageV1;
  embeddingModel: EmbeddingModelV1 | undefined;
  settings: ResolvedServerOptions;
  batcher: RerankBatcher;
  admission: AdmissionLimit;
  metrics: ServerMetrics;
  facts: WeakMap<FastifyRequest, RequestFacts>;
  state: { ready: boolean; draining: boolean };
};
