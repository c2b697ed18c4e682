import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type ParsedEmbedRequest,
  parseCohereEmbed,
  parseTeiEmbed,
} from './parse-embed-requests.js';
import { runAdmitted } from './run-admitted.js';
import type { ServerContext } from './server-context.js';
import { ServerError } from './server-error.js';

async function embedRequest(
  context: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  parsed: ParsedEmbedRequest,
): Promise<number[][]> {
  const model = context.embeddingModel;
  if (model === undefined) {
    throw new ServerError(
      'no-embedding-model',
      'this server has no embedding model (start it with --embedding-model)',
    );
  }
  context.facts.set(request, { documents: parsed.texts.length });
  const startedAt = performance.now();
  const vectors = await runAdmitted(context, reply, parsed.texts.length, async (signal) => {
    const embeddings: Float32Array[] = [];
    const window = model.maxEmbeddingsPerCall ?? parsed.texts.length;
    for (let start = 0; start < parsed.texts.length; start += window) {
      const result = await model.doEmbed({
        values: parsed.texts.slice(start, start + window),
        inputType: parsed.inputType,
        abortSignal: signal,
      });
      embeddings.push(...result.embeddings);
    }
    return embeddings;
  });
  if (vectors.length !== parsed.texts.length) {
    request.log.error({ requestId: request.id }, 'the embedding model returned too few vectors');
    throw new ServerError('backend', 'the embedding model returned an invalid result');
  }
  context.facts.set(request, {
    documents: parsed.texts.length,
    queueWaitMs: performance.now() - startedAt,
  });
  return vectors.map((vector) => {
    if (!parsed.normalize) return Array.from(vector);
    let sum = 0;
    for (const value of vector) sum += value * value;
    const norm = Math.sqrt(sum) || 1;
    return Array.from(vector, (value) => value / norm);
  });
}

/**
 * `POST /v2/embed` (Cohere: https://docs.cohere.com/reference/embed) and `POST /embed` (TEI);
 * 404 / 424 when the server has no embedding model.
 */
export function registerEmbedRoutes(app: FastifyInstance, context: ServerContext): void {
  const { maxDocuments } = context.settings;

  app.post('/v2/embed', async (request, reply) => {
    const parsed = parseCohereEmbed(request.body, maxDocuments);
    const embeddings = await embedRequest(context, request, reply, parsed);
    return {
      id: request.id,
      response_type: 'embeddings_by_type',
      embeddings: { float: embeddings },
      texts: parsed.texts,
      meta: { api_version: { version: '2', is_experimental: false } },
    };
  });

  app.post('/embed', async (request, reply) => {
    const parsed = parseTeiEmbed(request.body, maxDocuments);
    return embedRequest(context, request, reply, parsed);
  });
}
