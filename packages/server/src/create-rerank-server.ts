import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '@twostage/core';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { AdmissionLimit } from './admission-limit.js';
import { createBearerCheck } from './check-bearer-token.js';
import { createServerLogger } from './create-server-logger.js';
import { registerEmbedRoutes } from './register-embed-routes.js';
import { registerProbeRoutes } from './register-probe-routes.js';
import { registerRerankRoutes } from './register-rerank-routes.js';
import { RerankBatcher } from './rerank-batcher.js';
import { type RerankServerOptions, resolveServerOptions } from './rerank-server-options.js';
import type { RequestFacts, ServerContext } from './server-context.js';
import { type ErrorShape, renderError, ServerError } from './server-error.js';
import { createServerMetrics } from './server-metrics.js';

/** A rerank server, ready to listen. */
export type RerankServer = {
  /** Starts listening, warms the model up, then reports ready; resolves with the base URL. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /**
   * Drains: `/ready` and new requests get 503, requests in flight finish (up to `timeoutMs`,
   * default the request timeout), then the server closes.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** Whether `/ready` answers 200. */
  readonly ready: boolean;
  /** Requests held now (waiting or being scored). */
  readonly inFlight: number;
};

/** Paths the server knows, with their method: a wrong method gets 405, not 404. */
const knownRoutes: Record<string, string> = {
  '/v2/rerank': 'POST',
  '/v1/rerank': 'POST',
  '/rerank': 'POST',
  '/v2/embed': 'POST',
  '/embed': 'POST',
  '/info': 'GET',
  '/health': 'GET',
  '/ready': 'GET',
  '/metrics': 'GET',
};

/** Probes and scrapers carry no token (TEI leaves `/health` and `/metrics` open too). */
const openRoutes = new Set(['/health', '/ready', '/metrics']);

function pathOf(url: string): string {
  return url.split('?')[0] ?? '';
}

function shapeOf(url: string): ErrorShape {
  return url.startsWith('/v1/') || url.startsWith('/v2/') ? 'cohere' : 'tei';
}

/** Hosts that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** Maps what Fastify and the model throw to a ServerError; unknown failures are logged, not shown. */
function toServerError(error: unknown, request: FastifyRequest, maxBodyBytes: number): ServerError {
  if (error instanceof ServerError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ServerError(
      'body-too-large',
      `invalid request: the body is larger than ${maxBodyBytes} bytes`,
    );
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ServerError('media-type', 'invalid request: send Content-Type: application/json');
  }
  if (
    (typeof code === 'string' && code.startsWith('FST_ERR_CTP_')) ||
    error instanceof SyntaxError
  ) {
    return new ServerError('malformed-json', 'invalid request: the body is not valid JSON');
  }
  // The cause goes to the log only: it may carry model paths or upstream bodies.
  request.log.error(
    {
      requestId: request.id,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    },
    'model call failed',
  );
  return new ServerError('backend', 'an internal error occurred');
}

/**
 * Creates a rerank server with Cohere-shaped (`/v2/rerank`, `/v1/rerank`, `/v2/embed`) and
 * TEI-shaped (`/rerank`, `/embed`, `/info`) routes, `/health`, `/ready` and Prometheus `/metrics`,
 * on Fastify. Concurrent rerank requests share micro-batches; every limit refuses with the
 * route's own error shape.
 *
 * @throws InvalidArgumentError for unknown options, bad limits, or no tokens without `insecureNoAuth`
 * @example
 * const server = createRerankServer({
 *   reranker: createLocalOnnx().reranker('Xenova/ms-marco-MiniLM-L-6-v2'),
 *   tokens: parseServerTokens(process.env.TWOSTAGE_SERVER_TOKENS),
 * });
 * await server.listen({ port: 8080, host: '0.0.0.0' });
 */
export function createRerankServer(options: RerankServerOptions): RerankServer {
  const settings = resolveServerOptions(options);
  const insecure = options.insecureNoAuth === true;
  const logger = options.logger ?? createServerLogger();
  const checkBearer = createBearerCheck(options.tokens);
  const admission = new AdmissionLimit(
    settings.maxConcurrentRequests,
    settings.maxConcurrentDocuments,
    settings.retryAfterSeconds,
  );
  let batcher: RerankBatcher | undefined;
  const metrics = createServerMetrics(() => batcher?.depth ?? 0);
  batcher = new RerankBatcher(options.reranker, settings, (event) => {
    metrics.modelCalls.inc(event.modelCalls);
    metrics.batchDocuments.observe(event.documents);
    metrics.batchRequests.observe(event.requests);
  });
  const context: ServerContext = {
    reranker: options.reranker,
    embeddingModel: options.embeddingModel,
    settings,
    batcher,
    admission,
    metrics,
    facts: new WeakMap<FastifyRequest, RequestFacts>(),
    state: { ready: false, draining: false },
  };
  const { state } = context;

  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps route files on Fastify's default types.
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request is written in onResponse below, without headers: tokens stay out.
    // (A LogController since Fastify 5.10: the top-level option is deprecated, FSTDEP023.)
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: settings.maxBodyBytes,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  });

  function send(request: FastifyRequest, reply: FastifyReply, error: ServerError) {
    const shape = shapeOf(request.url);
    if (error.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(error.retryAfterSeconds));
    }
    return reply.code(error.statusFor(shape)).send(renderError(shape, error, request.id));
  }

  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url);
    if (state.draining && !openRoutes.has(path)) {
      reply.header('connection', 'close');
      return send(
        request,
        reply,
        new ServerError('shutting-down', 'the server is shutting down', settings.retryAfterSeconds),
      );
    }
    if (insecure || openRoutes.has(path) || knownRoutes[path] === undefined) return;
    const header = request.headers.authorization;
    if (!checkBearer(header)) {
      const message = header === undefined ? 'no api key supplied' : 'invalid api token';
      return send(request, reply, new ServerError('unauthorized', message));
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
    const facts = context.facts.get(request) ?? {};
    request.log.info(
      {
        requestId: request.id,
        method: request.method,
        route,
        status: reply.statusCode,
        documents: facts.documents,
        tokens: facts.tokens,
        queueWaitMs: facts.queueWaitMs === undefined ? undefined : Math.round(facts.queueWaitMs),
        latencyMs: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setErrorHandler((error: unknown, request, reply) =>
    send(request, reply, toServerError(error, request, settings.maxBodyBytes)),
  );

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const allowed = knownRoutes[path];
    if (allowed !== undefined) {
      reply.header('allow', allowed);
      return send(
        request,
        reply,
        new ServerError(
          'method-not-allowed',
          `method ${request.method} is not allowed on ${path}; use ${allowed}`,
        ),
      );
    }
    return send(request, reply, new ServerError('not-found', `no route ${request.method} ${path}`));
  });

  registerRerankRoutes(app, context);
  registerEmbedRoutes(app, context);
  registerProbeRoutes(app, context);

  return {
    get ready() {
      return state.ready && !state.draining;
    },
    get inFlight() {
      return admission.held;
    },
    async listen({ port = 8080, host = '127.0.0.1' } = {}) {
      if (insecure && !isLoopbackHost(host)) {
        throw new InvalidArgumentError({
          argument: 'insecureNoAuth',
          message: `is allowed on a loopback host only, not '${host}'; set TWOSTAGE_SERVER_TOKENS instead.`,
        });
      }
      const address = await app.listen({ port, host });
      if (options.warmUp !== false) {
        try {
          const warmUp = await options.reranker.doRerank({
            query: 'warm up',
            documents: { type: 'text', values: ['warm up'] },
          });
          // E.g. a GPU execution provider that fell back to the CPU says so here, once.
          for (const warning of warmUp.warnings ?? []) logger.warn({ warning }, 'model warning');
        } catch (error) {
          await app.close();
          throw error;
        }
      }
      state.ready = true;
      return address;
    },
    async close({ timeoutMs = settings.timeoutMs } = {}) {
      state.draining = true;
      // Requests in flight finish; the listener stays open meanwhile so that new requests get a
      // 503 (and a load balancer sees /ready fail) instead of a refused connection.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        admission.whenIdle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      await app.close();
    },
  };
}
