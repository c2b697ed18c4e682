import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { InvalidArgumentError, type Pipeline } from '@twostage/core';

/** Options of {@link createAskServer}. */
export type AskServerOptions = {
  /** The two-stage search every question runs through. */
  pipeline: Pipeline;
  /** Longest question accepted, in characters; longer ones get a 400. @default 1000 */
  maxQuestionLength?: number;
  /** Most results a caller may ask for with `top`. @default 20 */
  maxTop?: number;
};

/**
 * A minimal HTTP endpoint over a pipeline, on `node:http` alone:
 * - `GET /ask?q=<question>[&top=<n>]` → `200 { query, results: [{ id, text, metadata,
 *   rerankScore, retrieveScore, retrieveRank }], timings, degraded }`;
 * - `GET /health` → `200 { ok: true }`;
 * - a missing or bad parameter → `400 { error }`, another path → `404`, another method → `405`,
 *   a failing stage → `502 { error }`.
 * A client that disconnects aborts its search (the signal reaches both stages).
 */
export function createAskServer(options: AskServerOptions): Server {
  const maxQuestionLength = options.maxQuestionLength ?? 1000;
  const maxTop = options.maxTop ?? 20;
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: messageOf(error) });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health' && request.method === 'GET') {
      sendJson(response, 200, { ok: true });
      return;
    }
    if (url.pathname !== '/ask') {
      sendJson(response, 404, { error: `no route ${url.pathname}: use GET /ask?q=<question>` });
      return;
    }
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      sendJson(response, 405, {
        error: `${request.method} is not allowed: use GET /ask?q=<question>`,
      });
      return;
    }
    const question = url.searchParams.get('q')?.trim() ?? '';
    if (question === '') {
      sendJson(response, 400, { error: 'the question is missing: GET /ask?q=<question>' });
      return;
    }
    if (question.length > maxQuestionLength) {
      sendJson(response, 400, {
        error: `the question is longer than ${maxQuestionLength} characters`,
      });
      return;
    }
    const topParameter = url.searchParams.get('top');
    const top = topParameter === null ? undefined : Number(topParameter);
    if (top !== undefined && !(Number.isInteger(top) && top >= 1 && top <= maxTop)) {
      sendJson(response, 400, { error: `top must be an integer from 1 to ${maxTop}` });
      return;
    }
    // The client hanging up stops the search: no reranker call for an answer nobody will read.
    const disconnected = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) disconnected.abort();
    });
    let result: Awaited<ReturnType<Pipeline['run']>>;
    try {
      result = await options.pipeline.run(question, {
        abortSignal: disconnected.signal,
        ...(top === undefined ? {} : { rerankTopN: top }),
      });
    } catch (error) {
      if (disconnected.signal.aborted) return;
      const status = InvalidArgumentError.isInstance(error) ? 400 : 502;
      sendJson(response, status, { error: messageOf(error) });
      return;
    }
    sendJson(response, 200, {
      query: question,
      results: result.results,
      timings: result.timings,
      degraded: result.degraded,
    });
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
