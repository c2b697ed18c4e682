import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startLoopbackServer } from '@twostage/testkit';
import { answerInfinity } from './answer-infinity.js';
import { answerVllm } from './answer-vllm.js';
import type { Answer, EngineFault, RecordedRequest } from './engine-types.js';

export type { Answer, EngineFault, RecordedRequest } from './engine-types.js';

/** Options of {@link startEngineEmulator}. */
export type EngineEmulatorOptions = {
  /** Which engine to behave as. */
  engine: 'vllm' | 'infinity';
  /** The `--api-key` of the engine; no auth when undefined. */
  apiKey?: string;
  /** The served model names (vLLM: the first is the served model; Infinity: several → checked). */
  models?: string[];
  /** Infinity's `INFINITY_MAX_CLIENT_BATCH_SIZE`. @default 2048 */
  maxClientBatchSize?: number;
  /** Infinity's `--url-prefix`. @default '' */
  urlPrefix?: string;
};

/**
 * A loopback emulator of vLLM's rerank routes (`/rerank`, `/v1/rerank` Jina-shaped, `/v2/rerank`
 * Cohere-shaped; one handler) or Infinity's `{prefix}/rerank`, test-only, following
 * `shared/reference/serving-engines.md`: request fields, reply shapes (no `meta` from vLLM, a
 * `document` of `null` from Infinity without `return_documents`), auth (vLLM only under `/v1`,
 * `/v2`), error bodies (`{ error: {...} }`, `{ error: 'Unauthorized' }`, FastAPI's `{ detail }`).
 * Scores are the share of the query's words a document holds (sigmoid-like in [0, 1]), or a
 * logit `8·share − 4` with `raw_scores` / `use_activation: false`. A request field the engine
 * does not know is recorded in `violations` (vLLM accepts and drops them; tests assert none).
 */
export type EngineEmulator = {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly violations: string[];
  /** Faults for the next rerank requests, one per request, in order. */
  script(...faults: EngineFault[]): void;
  reset(): void;
  close(): Promise<void>;
};

/** Starts the emulator on 127.0.0.1 with a free port. */
export async function startEngineEmulator(options: EngineEmulatorOptions): Promise<EngineEmulator> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  let faults: EngineFault[] = [];
  const models = options.models ?? ['BAAI/bge-reranker-v2-m3'];

  const send = (recorded: RecordedRequest, response: ServerResponse, answer: Answer) => {
    recorded.status = answer.status;
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const rawBody = await readBody(request);
    const path = new URL(request.url ?? '/', 'http://emulator').pathname;
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      ),
      body: undefined,
    };
    requests.push(recorded);
    const isRerank =
      request.method === 'POST' &&
      (options.engine === 'vllm'
        ? ['/rerank', '/v1/rerank', '/v2/rerank'].includes(path)
        : path === `${options.urlPrefix ?? ''}/rerank`);
    if (!isRerank) {
      send(recorded, response, { status: 404, body: { detail: 'Not Found' } });
      return;
    }
    try {
      recorded.body = JSON.parse(rawBody);
    } catch {
      recorded.body = rawBody;
    }
    const fault = faults.shift();
    if (fault?.type === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault?.type === 'malformed-json') {
      recorded.status = 200;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(fault.body ?? '{"id":"cut","results":[{"index":0,"relevance_');
      return;
    }
    if (fault?.type === 'status') {
      send(recorded, response, { status: fault.status, body: fault.body, headers: fault.headers });
      return;
    }
    if (fault?.type === 'delay') {
      const stillThere = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), fault.ms);
        response.once('close', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (!stillThere) return;
    }
    const answer =
      options.engine === 'vllm'
        ? answerVllm({
            path,
            headers: recorded.headers,
            body: recorded.body,
            apiKey: options.apiKey,
            models,
            violations,
          })
        : answerInfinity({
            headers: recorded.headers,
            body: recorded.body,
            apiKey: options.apiKey,
            models,
            maxClientBatchSize: options.maxClientBatchSize ?? 2048,
            violations,
          });
    send(recorded, response, answer);
  };

  const server = await startLoopbackServer(handle);
  return {
    url: `${server.url}${options.urlPrefix ?? ''}`,
    requests,
    violations,
    script: (...next) => {
      faults.push(...next);
    },
    reset: () => {
      requests.length = 0;
      violations.length = 0;
      faults = [];
    },
    close: () => server.close(),
  };
}

/** A fresh response id as each engine forms it. */
export function responseId(engine: 'vllm' | 'infinity'): string {
  return `${engine === 'vllm' ? 'score' : 'infinity'}-${randomUUID()}`;
}
