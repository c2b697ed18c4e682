import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (two servers in one process don't clash). */
export type ServerMetrics = ReturnType<typeof createServerMetrics>;

/**
 * Creates the registry and every metric `/metrics` exposes.
 * @param queueDepth - read at each scrape: requests waiting for a model slot
 */
export function createServerMetrics(queueDepth: () => number) {
  const registry = new Registry();
  return {
    registry,
    requests: new Counter({
      name: 'twostage_server_requests_total',
      help: 'HTTP requests by route and status.',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    pairs: new Counter({
      name: 'twostage_server_pairs_scored_total',
      help: '(query, document) pairs scored.',
      registers: [registry],
    }),
    modelCalls: new Counter({
      name: 'twostage_server_model_calls_total',
      help: 'doRerank calls made by the batcher.',
      registers: [registry],
    }),
    batchDocuments: new Histogram({
      name: 'twostage_server_batch_documents',
      help: 'Documents per micro-batch.',
      buckets: [1, 10, 25, 50, 100, 200, 400, 800, 1600, 3200],
      registers: [registry],
    }),
    batchRequests: new Histogram({
      name: 'twostage_server_batch_requests',
      help: 'Requests per micro-batch.',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'twostage_server_queue_depth',
      help: 'Requests waiting for a model slot.',
      registers: [registry],
      collect() {
        this.set(queueDepth());
      },
    }),
    latency: new Histogram({
      name: 'twostage_server_request_duration_seconds',
      help: 'Request latency by route.',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    queueWait: new Histogram({
      name: 'twostage_server_queue_wait_seconds',
      help: 'Time a request waited for a model slot.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
