import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './server-context.js';
import { VERSION } from './version.js';

/**
 * `GET /info` (TEI's `Info`: model id and limits), `GET /health` (the process answers),
 * `GET /ready` (model loaded and warmed up, not draining: what a load balancer polls during a
 * rollout) and Prometheus `GET /metrics`.
 */
export function registerProbeRoutes(app: FastifyInstance, context: ServerContext): void {
  const { reranker, embeddingModel, settings, metrics, state } = context;

  app.get('/info', async () => ({
    model_id: reranker.modelId,
    // The stage does not say its weights' dtype.
    model_dtype: 'unknown',
    served_model_name: `${reranker.provider}:${reranker.modelId}`,
    model_type: { reranker: { id2label: { '0': 'LABEL_0' }, label2id: { LABEL_0: 0 } } },
    // TEI's name for its per-text permits, which the document bound is (TEI clients read it so).
    max_concurrent_requests: settings.maxConcurrentDocuments,
    max_input_length: settings.maxTokens,
    max_batch_tokens: settings.maxBatchTokens,
    max_client_batch_size: settings.maxDocuments,
    auto_truncate: true,
    tokenization_workers: 1,
    version: VERSION,
    score_kind: reranker.scoreKind,
    micro_batching: settings.microBatching,
    embedding_model_id: embeddingModel === undefined ? null : embeddingModel.modelId,
  }));

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_request, reply) => {
    if (state.ready && !state.draining) return { status: 'ready' };
    return reply.code(503).send({ status: state.draining ? 'draining' : 'warming up' });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
