import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type LoopbackServer,
  OpenApiValidator,
  readBody,
  startLoopbackServer,
} from '@twostage/testkit';
import { describeIndexModel } from './emulator-control-plane.js';
import { answerDataPlane } from './emulator-data-plane.js';
import {
  type Answer,
  codeOf,
  type EmulatedOperation,
  errorBody,
  type Plane,
  type RecordedRequest,
} from './emulator-http.js';
import {
  EmulatedIndex,
  type EmulatedMetric,
  type IntegratedEmbedding,
  ServiceError,
} from './emulator-index.js';
import { embedAnswer, rerankAnswer } from './emulator-inference.js';

export type { EmulatedOperation, Plane, RecordedRequest } from './emulator-http.js';

/**
 * A loopback emulator of Pinecone (API 2026-04) for the real client to talk to: the control
 * plane (`GET /indexes/{name}`, answering with a loopback data-plane host), one data-plane
 * server per index (vectors and integrated-inference records, stored per namespace and searched
 * exactly with the index's metric and the full filter language), and inference (`/embed`,
 * `/rerank`, with deterministic stand-in models).
 *
 * Every request and every JSON response is validated against the published API descriptions;
 * what breaks them lands in `violations`, which tests assert empty. Faults (429, 5xx, slow,
 * malformed) are scripted per test with {@link PineconeEmulator.fault}.
 *
 * Test-only: it lives under `test/` and ships with nothing.
 */

/** The API version the client pinned by this package sends. */
export const emulatedApiVersion = '2026-04';

/** A scripted misbehaviour for the next matching request(s). */
export type EmulatorFault = {
  /** Only requests of this operation. */
  operation?: EmulatedOperation;
  /** Only requests for which this returns true. */
  when?: (request: RecordedRequest) => boolean;
  /** How many matching requests it applies to. @default 1 */
  times?: number;
  /** Wait this long before answering (the wait ends if the client goes away). */
  delayMs?: number;
  /** Answer with this status (and `body`, `headers`) instead of the normal answer. */
  status?: number;
  /** The error body; a string is sent as text/plain. @default the plane's error shape */
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
  /** Destroy the connection without an answer. */
  reset?: boolean;
};

/** The running emulator. */
export type PineconeEmulator = {
  /** The API key it accepts (unique per emulator, so the client's host cache never crosses tests). */
  readonly apiKey: string;
  /** Control plane and inference base URL (`controllerHostUrl`). */
  readonly controllerHostUrl: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Every contract violation seen (request or response off the API description, wrong version). */
  readonly violations: string[];
  /** Creates an index; returns it (its `host` is the data-plane URL). */
  createIndex(options: {
    name: string;
    dimension: number;
    metric?: EmulatedMetric;
    integrated?: IntegratedEmbedding;
  }): Promise<EmulatedIndex>;
  /** An index by name. */
  index(name: string): EmulatedIndex;
  /** Scripts a fault; the newest matching fault applies first. */
  fault(fault: EmulatorFault): void;
  /** The requests of one operation. */
  requestsOf(operation: EmulatedOperation): RecordedRequest[];
  /** Stops every server. */
  close(): Promise<void>;
};

const validators = {
  control: new OpenApiValidator('pinecone-db_control_2026-04.oas.yaml'),
  data: new OpenApiValidator('pinecone-db_data_2026-04.oas.yaml'),
  inference: new OpenApiValidator('pinecone-inference_2026-04.oas.yaml'),
};

/** Starts an emulator on 127.0.0.1 (free ports). */
export async function startPineconeEmulator(): Promise<PineconeEmulator> {
  const apiKey = `pcsk_test_${randomUUID().replaceAll('-', '')}`;
  const indexes = new Map<string, EmulatedIndex>();
  const dataServers: LoopbackServer[] = [];
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const faults: (EmulatorFault & { remaining: number })[] = [];

  const handle = async (
    plane: Plane,
    index: EmulatedIndex | undefined,
    request: IncomingMessage,
    response: ServerResponse,
  ) => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const rawBody = await readBody(request);
    const path = decodeURIComponent(url.pathname);
    const method = request.method ?? 'GET';
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(', ') : (value ?? ''),
      ]),
    );
    const operation = operationOf(plane, method, url.pathname);
    const recorded: RecordedRequest = {
      plane,
      operation,
      index: index?.name,
      method,
      path,
      rawPath: url.pathname,
      query: url.searchParams,
      headers,
      body: undefined,
      bytes: Buffer.byteLength(rawBody, 'utf8'),
    };
    requests.push(recorded);
    const where = `${method} ${path}`;

    const answer = async (): Promise<Answer> => {
      if (operation === undefined) {
        violations.push(`${where}: no such operation in the emulated API`);
        return { status: 404, body: errorBody(plane, 404, 'NOT_FOUND', `No route ${where}`) };
      }
      if (headers['x-pinecone-api-version'] !== emulatedApiVersion) {
        violations.push(
          `${where}: X-Pinecone-Api-Version is '${headers['x-pinecone-api-version']}', expected '${emulatedApiVersion}'`,
        );
      }
      try {
        recorded.body = parseBody(operation, rawBody, headers['content-type'], where, violations);
      } catch (error) {
        violations.push(
          `${where}: the body is not valid JSON / NDJSON: ${(error as Error).message}`,
        );
        return {
          status: 400,
          body: errorBody(plane, 400, 'INVALID_ARGUMENT', 'Malformed request body.'),
        };
      }
      if (headers['api-key'] !== apiKey) {
        // The data plane's auth layer answers in text; control plane and inference in JSON.
        return plane === 'data'
          ? { status: 401, body: 'Unauthorized', contentType: 'text/plain' }
          : { status: 401, body: errorBody(plane, 401, 'UNAUTHENTICATED', 'Invalid API key.') };
      }
      const fault = takeFault(faults, recorded);
      if (fault?.delayMs !== undefined) await delay(fault.delayMs, request);
      if (fault?.reset === true) {
        // The connection goes without an answer (a crashed pod, a proxy's idle cut).
        request.socket.destroy();
        return new Promise<never>(() => undefined);
      }
      if (fault?.malformed === true)
        return { status: 200, body: '{"matches": [', contentType: 'application/json' };
      if (fault?.status !== undefined) {
        const body =
          fault.body ??
          errorBody(
            plane,
            fault.status,
            codeOf(fault.status),
            `Emulated failure (status ${fault.status}).`,
          );
        return {
          status: fault.status,
          body,
          ...(typeof body === 'string' ? { contentType: 'text/plain' } : {}),
          ...(fault.headers === undefined ? {} : { headers: fault.headers }),
        };
      }
      const validation = validators[plane].validateRequest(
        method,
        url.pathname,
        recorded.body ?? {},
      );
      if (!validation.ok) {
        violations.push(
          `${where}: request off the API description: ${validation.errors.join('; ')}`,
        );
        return {
          status: 400,
          body: errorBody(plane, 400, 'INVALID_ARGUMENT', validation.errors.join('; ')),
        };
      }
      try {
        return route(plane, operation, index, recorded, rawBody);
      } catch (error) {
        if (error instanceof ServiceError) {
          return {
            status: error.status,
            body: errorBody(plane, error.status, error.code, error.message),
          };
        }
        throw error;
      }
    };

    const result = await answer();
    if (response.destroyed) return;
    const contentType = result.contentType ?? 'application/json';
    if (
      operation !== undefined &&
      contentType === 'application/json' &&
      result.body !== undefined &&
      typeof result.body !== 'string'
    ) {
      const validation = validators[plane].validateResponse(
        method,
        url.pathname,
        result.status,
        result.body,
      );
      if (!validation.ok)
        violations.push(
          `${where}: response ${result.status} off the API description: ${validation.errors.join('; ')}`,
        );
    }
    const text =
      result.body === undefined
        ? ''
        : typeof result.body === 'string'
          ? result.body
          : JSON.stringify(result.body);
    response.writeHead(result.status, {
      ...(text === '' ? {} : { 'content-type': contentType }),
      ...result.headers,
    });
    response.end(text);
  };

  const control = await startLoopbackServer((request, response) =>
    handle(planeOf(request), undefined, request, response),
  );

  const route = (
    plane: Plane,
    operation: EmulatedOperation,
    index: EmulatedIndex | undefined,
    request: RecordedRequest,
    rawBody: string,
  ): Answer => {
    if (plane === 'control') {
      const name = decodeURIComponent(request.rawPath.slice('/indexes/'.length));
      const found = indexes.get(name);
      if (found === undefined) {
        return {
          status: 404,
          body: errorBody('control', 404, 'NOT_FOUND', `Index ${name} not found.`),
        };
      }
      return { status: 200, body: describeIndexModel(found) };
    }
    if (plane === 'inference') {
      return operation === 'embed' ? embedAnswer(request.body) : rerankAnswer(request.body);
    }
    return answerDataPlane(operation, index as EmulatedIndex, request, rawBody);
  };

  return {
    apiKey,
    controllerHostUrl: control.url,
    requests,
    violations,
    async createIndex({ name, dimension, metric = 'cosine', integrated }) {
      const index = new EmulatedIndex(name, dimension, metric, integrated);
      const server = await startLoopbackServer((request, response) =>
        handle('data', index, request, response),
      );
      index.host = server.url;
      dataServers.push(server);
      indexes.set(name, index);
      return index;
    },
    index(name) {
      const index = indexes.get(name);
      if (index === undefined) throw new Error(`The emulator has no index '${name}'.`);
      return index;
    },
    fault(fault) {
      faults.unshift({ ...fault, remaining: fault.times ?? 1 });
    },
    requestsOf(operation) {
      return requests.filter((request) => request.operation === operation);
    },
    async close() {
      await Promise.all([control.close(), ...dataServers.map((server) => server.close())]);
    },
  };
}

/** Control plane and inference share the controller host; the path tells them apart. */
function planeOf(request: IncomingMessage): Plane {
  const path = (request.url ?? '').split('?')[0] ?? '';
  return path === '/embed' || path === '/rerank' ? 'inference' : 'control';
}

function operationOf(plane: Plane, method: string, path: string): EmulatedOperation | undefined {
  if (plane === 'control')
    return method === 'GET' && /^\/indexes\/[^/]+$/.test(path) ? 'describeIndex' : undefined;
  if (plane === 'inference')
    return method !== 'POST'
      ? undefined
      : path === '/embed'
        ? 'embed'
        : path === '/rerank'
          ? 'rerank'
          : undefined;
  if (method === 'GET' && path === '/vectors/fetch') return 'fetch';
  if (method !== 'POST') return undefined;
  const simple: Record<string, EmulatedOperation> = {
    '/vectors/upsert': 'upsert',
    '/query': 'query',
    '/vectors/delete': 'delete',
    '/describe_index_stats': 'describeIndexStats',
  };
  if (simple[path] !== undefined) return simple[path];
  if (/^\/records\/namespaces\/[^/]+\/upsert$/.test(path)) return 'upsertRecords';
  if (/^\/records\/namespaces\/[^/]+\/search$/.test(path)) return 'searchRecords';
  return undefined;
}

/** Parses a body by the operation's content type, recording a wrong content type as a violation. */
function parseBody(
  operation: EmulatedOperation,
  rawBody: string,
  contentType: string | undefined,
  where: string,
  violations: string[],
): unknown {
  if (operation === 'upsertRecords') {
    if (contentType !== 'application/x-ndjson')
      violations.push(`${where}: content-type '${contentType}', expected application/x-ndjson`);
    return rawBody
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
  }
  if (rawBody === '') return undefined;
  if (!contentType?.startsWith('application/json'))
    violations.push(`${where}: content-type '${contentType}', expected application/json`);
  return JSON.parse(rawBody) as unknown;
}

function takeFault(
  faults: (EmulatorFault & { remaining: number })[],
  request: RecordedRequest,
): EmulatorFault | undefined {
  const position = faults.findIndex(
    (fault) =>
      fault.remaining > 0 &&
      (fault.operation === undefined || fault.operation === request.operation) &&
      (fault.when === undefined || fault.when(request)),
  );
  if (position < 0) return undefined;
  const fault = faults[position] as EmulatorFault & { remaining: number };
  fault.remaining -= 1;
  return fault;
}

/** Waits, ending early (and clearing its timer) when the client goes away. */
function delay(ms: number, request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      request.socket.off('close', done);
      resolve();
    }
    request.socket.once('close', done);
  });
}
