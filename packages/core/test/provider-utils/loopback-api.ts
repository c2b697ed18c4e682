import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the loopback API received. */
export type ReceivedRequest = {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** Lower-cased header names. */
  headers: IncomingMessage['headers'];
  body: string;
  /** The client went away before the response was complete (an abort, a timeout). */
  closedBeforeResponse: boolean;
};

/** How the server answers one request. */
export type Answer =
  | { type: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { type: 'text'; status: number; text: string; headers?: Record<string, string> }
  /** Accepts the request and never answers. */
  | { type: 'silent' }
  /** Sends status and headers, then never sends the body. */
  | { type: 'stall-body'; status?: number }
  /** Drops the connection before any answer. */
  | { type: 'reset' }
  /** Sends status, headers and half the body, then drops the connection. */
  | { type: 'reset-mid-body'; status?: number };

/** A loopback HTTP server on 127.0.0.1 answering each request as `answer` says. */
export type LoopbackApi = {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** The answer for every request from now on. */
  answer(answer: Answer): void;
  /** Resolves once `predicate` holds (checked on every request event). */
  waitFor(predicate: () => boolean): Promise<void>;
  close(): Promise<void>;
};

/** Starts a {@link LoopbackApi} that answers `{ ok: true }` until told otherwise. */
export async function startLoopbackApi(): Promise<LoopbackApi> {
  let current: Answer = { type: 'json', body: { ok: true } };
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const received: ReceivedRequest = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      closedBeforeResponse: false,
    };
    requests.push(received);
    response.on('close', () => {
      if (!response.writableFinished) received.closedBeforeResponse = true;
      notify();
    });
    notify();
    const answer = current;
    switch (answer.type) {
      case 'json':
        response.writeHead(answer.status ?? 200, {
          'content-type': 'application/json',
          ...answer.headers,
        });
        response.end(JSON.stringify(answer.body));
        return;
      case 'text':
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        response.end(answer.text);
        return;
      case 'silent':
        return;
      case 'stall-body':
        response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        response.flushHeaders();
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'reset-mid-body':
        response.writeHead(answer.status ?? 200, {
          'content-type': 'application/json',
          'content-length': '100',
        });
        response.write('{"results":[{"index":0,');
        setImmediate(() => request.socket.destroy());
        return;
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(answer) {
      current = answer;
    },
    waitFor(predicate) {
      return new Promise((resolve) => {
        const check = () => {
          if (!predicate()) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
