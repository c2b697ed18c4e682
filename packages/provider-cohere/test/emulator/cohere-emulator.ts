import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpenApiValidator, readBody, startLoopbackServer } from '@twostage/testkit';
import { answerEmbed, type EmbedBody } from './answer-embed.js';
import { answerRerank, type RerankBody } from './answer-rerank.js';
import { applyFault, type CohereFault, isAnswerFault } from './cohere-fault.js';
import { type Answer, authenticate } from './emulator-answer.js';

export type { CohereFault } from './cohere-fault.js';

/**
 * A loopback emulator of Cohere's `POST /v2/rerank` and `POST /v2/embed`, test-only.
 *
 * It follows the wire facts in `shared/reference/wire-cohere-pinecone.md` part A: Bearer auth
 * (401 `{ message }`), Cohere's 400 messages, a 404 for an unknown model, results sorted by
 * relevance with scores in [0, 1], `meta.billed_units` by Cohere's search-unit rule (see
 * `searchUnits`). Scores come from word overlap (see `lexicalShare` in testkit), so a test can predict
 * the order.
 *
 * Every request it receives and every response it sends is checked against the operation in
 * `cohere-openapi.yaml`; a violation is recorded in `violations` (tests assert it stays empty) and
 * answered with status 599, so the call fails loudly too.
 */
export type CohereEmulator = {
  /** `http://127.0.0.1:<port>`, plus the base path when one was given. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Requests or responses that broke the API description, as readable lines. */
  readonly violations: string[];
  /** Faults for the next requests, one per request, in order; later requests are answered normally. */
  script(...faults: CohereFault[]): void;
  /** Forgets requests, violations and pending faults (between tests). */
  reset(): void;
  /** Resolves once `predicate` holds, checking on every request event (or rejects after `timeoutMs`). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

/** One request the emulator received. */
export type RecordedRequest = {
  method: string;
  /** The path as received, base path included. */
  path: string;
  /** Lower-cased header names, as Node received them. */
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: unknown;
  /** The body's exact text. */
  rawBody: string;
  /** `performance.now()` when the body had arrived. */
  receivedAt: number;
  /** The status sent, once a response was sent. */
  status?: number;
  /** The `id` of the response body, when one was sent. */
  responseId?: string;
  /** The client went away before the response was complete (an abort, a timeout). */
  closedBeforeResponse: boolean;
};

/** Options of {@link startCohereEmulator}. */
export type CohereEmulatorOptions = {
  /**
   * The key the emulator accepts as `Authorization: Bearer <key>`.
   * @default 'emulator-key-0123456789'
   */
  apiKey?: string;
  /** A path prefix the emulator serves under, as a self-hosted server behind a proxy might. */
  basePath?: string;
};

/** Parsing the 29,000-line description takes a while: once per test file is enough. */
let validator: OpenApiValidator | undefined;

/** Starts the emulator on 127.0.0.1 with a free port. */
export async function startCohereEmulator(
  options: CohereEmulatorOptions = {},
): Promise<CohereEmulator> {
  const apiKey = options.apiKey ?? 'emulator-key-0123456789';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  validator ??= new OpenApiValidator('cohere-openapi.yaml');
  const checker = validator;
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  let faults: CohereFault[] = [];
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };

  const send = (
    recorded: RecordedRequest,
    response: ServerResponse,
    answer: Answer,
    validate: boolean,
  ) => {
    const operationPath = recorded.path.slice(basePath.length);
    let { status, body } = answer;
    if (validate) {
      const validation = checker.validateResponse('POST', operationPath, status, body);
      if (!validation.ok) {
        violations.push(
          `response ${status} to POST ${operationPath}: ${validation.errors.join('; ')}`,
        );
        status = 599;
        body = {
          message: `emulator response violates the API description: ${validation.errors.join('; ')}`,
        };
      }
    }
    recorded.status = status;
    const id = (body as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') recorded.responseId = id;
    response.writeHead(status, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(body));
    notify();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://emulator');
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path: url.pathname,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      ),
      body: undefined,
      rawBody,
      receivedAt: performance.now(),
      closedBeforeResponse: false,
    };
    requests.push(recorded);
    response.on('close', () => {
      if (!response.writableFinished) {
        recorded.closedBeforeResponse = true;
        notify();
      }
    });
    notify();

    const operationPath = url.pathname.startsWith(`${basePath}/`)
      ? url.pathname.slice(basePath.length)
      : undefined;
    if (
      request.method !== 'POST' ||
      (operationPath !== '/v2/rerank' && operationPath !== '/v2/embed')
    ) {
      // Not an operation of the API: what the service's router answers, unchecked.
      send(recorded, response, { status: 404, body: { message: 'Not Found' } }, false);
      return;
    }
    try {
      recorded.body = JSON.parse(rawBody);
    } catch {
      violations.push(`request to POST ${operationPath} is not JSON: ${rawBody.slice(0, 200)}`);
      send(
        recorded,
        response,
        { status: 599, body: { message: 'request body is not JSON' } },
        false,
      );
      return;
    }
    const requestValidation = checker.validateRequest('POST', operationPath, recorded.body);
    if (!requestValidation.ok) {
      violations.push(`request to POST ${operationPath}: ${requestValidation.errors.join('; ')}`);
      send(
        recorded,
        response,
        {
          status: 599,
          body: {
            message: `request violates the API description: ${requestValidation.errors.join('; ')}`,
          },
        },
        false,
      );
      return;
    }

    const fault = faults.shift();
    if (fault !== undefined && !isAnswerFault(fault)) {
      applyFault(fault, recorded, request, response, send);
      return;
    }
    if (fault?.type === 'delay') {
      const arrived = await waitUnlessClosed(response, fault.ms);
      if (!arrived) return;
    }

    const answer =
      authenticate(recorded.headers.authorization, apiKey) ??
      (operationPath === '/v2/rerank'
        ? answerRerank(recorded.body as RerankBody)
        : answerEmbed(recorded.body as EmbedBody));
    if (fault?.type === 'reset-mid-body' || fault?.type === 'drip') {
      await sendSlowly(recorded, request, response, answer, fault);
      notify();
      return;
    }
    send(recorded, response, fault?.type === 'notice' ? withNotice(answer, fault) : answer, true);
  };

  const server = await startLoopbackServer(handle);
  return {
    url: `${server.url}${basePath}`,
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
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate()) return resolve();
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`emulator: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
      }),
    close: () => server.close(),
  };
}

/** A successful answer with Cohere's notices added to its `meta`; other answers as they are. */
function withNotice(answer: Answer, notice: Extract<CohereFault, { type: 'notice' }>): Answer {
  if (answer.status !== 200) return answer;
  const body = answer.body as { meta: { api_version: Record<string, unknown> } };
  return {
    ...answer,
    body: {
      ...body,
      meta: {
        ...body.meta,
        api_version: {
          ...body.meta.api_version,
          ...(notice.deprecated === true ? { is_deprecated: true } : {}),
        },
        warnings: notice.warnings,
      },
    },
  };
}

/** Waits `ms`; resolves `false` early when the client closes the connection meanwhile. */
/** Sends an answer in pieces (`drip`), or half of it and then a reset (`reset-mid-body`). */
async function sendSlowly(
  recorded: RecordedRequest,
  request: IncomingMessage,
  response: ServerResponse,
  answer: Answer,
  fault: Extract<CohereFault, { type: 'reset-mid-body' } | { type: 'drip' }>,
): Promise<void> {
  const text = JSON.stringify(answer.body);
  recorded.status = answer.status;
  response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  if (fault.type === 'reset-mid-body') {
    response.write(text.slice(0, Math.floor(text.length / 2)));
    // Let the first half reach the client before the connection goes.
    await new Promise((resolve) => setTimeout(resolve, 20));
    request.socket.destroy();
    return;
  }
  const size = Math.ceil(text.length / fault.chunks);
  for (let start = 0; start < text.length; start += size) {
    if (start > 0 && !(await waitUnlessClosed(response, fault.intervalMs))) return;
    response.write(text.slice(start, start + size));
  }
  response.end();
}

function waitUnlessClosed(response: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      response.off('close', onClose);
      resolve(true);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    response.once('close', onClose);
  });
}
