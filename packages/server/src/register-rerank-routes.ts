import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fitDocuments } from './fit-documents.js';
import { parseCohereV1Rerank, parseCohereV2Rerank } from './parse-cohere-rerank.js';
import { parseTeiRerank } from './parse-tei-rerank.js';
import type { ParsedRerankRequest } from './parsed-rerank-request.js';
import { runAdmitted } from './run-admitted.js';
import type { ServerContext } from './server-context.js';
import { ServerError } from './server-error.js';

type Ranked = { index: number; score: number };

/** Scores one parsed request through the batcher; returns the ranking, sorted, topN applied. */
async function rankRequest(
  context: ServerContext,
  request: FastifyRequest,
  reply: Parameters<typeof runAdmitted>[1],
  parsed: ParsedRerankRequest,
): Promise<Ranked[]> {
  const { texts, tokens } = fitDocuments(parsed, context.settings.maxTokens);
  context.facts.set(request, { documents: texts.length, tokens });
  const { scores, queueWaitMs } = await runAdmitted(context, reply, texts.length, (signal) =>
    context.batcher.score(parsed.query, texts, tokens, signal),
  );
  context.facts.set(request, { documents: texts.length, tokens, queueWaitMs });
  context.metrics.pairs.inc(texts.length);
  context.metrics.queueWait.observe(queueWaitMs / 1000);
  if (scores.some((score) => !Number.isFinite(score))) {
    // TEI fails the whole call on a NaN score too; the detail goes to the log, not the client.
    request.log.error({ requestId: request.id }, 'the model returned a non-finite score');
    throw new ServerError('backend', 'the model returned an invalid score');
  }
  // Ties by input index: the order the local stage and core give.
  const ranking = scores
    .map((score, index) => ({ index, score }))
    .sort((left, right) => right.score - left.score || left.index - right.index);
  return parsed.topN === undefined ? ranking : ranking.slice(0, parsed.topN);
}

function cohereMeta(version: '1' | '2', documents: number, tokens: number | undefined) {
  return {
    api_version: { version, is_experimental: false },
    billed_units: { search_units: Math.max(1, Math.ceil(documents / 100)) },
    ...(tokens === undefined ? {} : { tokens: { input_tokens: tokens } }),
  };
}

const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));

/**
 * `POST /v2/rerank` and `POST /v1/rerank` (Cohere: https://docs.cohere.com/reference/rerank) and
 * `POST /rerank` (TEI: `router/src/http/server.rs`), all scored through the shared batcher.
 */
export function registerRerankRoutes(app: FastifyInstance, context: ServerContext): void {
  const { maxDocuments } = context.settings;

  app.post('/v2/rerank', async (request, reply) => {
    const parsed = parseCohereV2Rerank(request.body, maxDocuments);
    const ranking = await rankRequest(context, request, reply, parsed);
    return {
      id: request.id,
      results: ranking.map(({ index, score }) => ({ index, relevance_score: score })),
      meta: cohereMeta('2', parsed.documents.length, context.facts.get(request)?.tokens),
    };
  });

  app.post('/v1/rerank', async (request, reply) => {
    const parsed = parseCohereV1Rerank(request.body, maxDocuments);
    const ranking = await rankRequest(context, request, reply, parsed);
    return {
      id: request.id,
      results: ranking.map(({ index, score }) => {
        const original = parsed.originals[index];
        return {
          index,
          relevance_score: score,
          ...(parsed.returnDocuments
            ? { document: typeof original === 'string' ? { text: original } : original }
            : {}),
        };
      }),
      meta: cohereMeta('1', parsed.documents.length, context.facts.get(request)?.tokens),
    };
  });

  app.post('/rerank', async (request, reply) => {
    const parsed = parseTeiRerank(request.body, maxDocuments);
    const ranking = await rankRequest(context, request, reply, parsed);
    // TEI applies a sigmoid unless raw_scores; a stage that already gives probabilities has no
    // rawer score to give, so its scores pass through either way.
    const toSigmoid = !parsed.rawScores && context.reranker.scoreKind === 'logit';
    return ranking.map(({ index, score }) => ({
      index,
      score: toSigmoid ? sigmoid(score) : score,
      ...(parsed.returnDocuments ? { text: parsed.documents[index] } : {}),
    }));
  });
}
