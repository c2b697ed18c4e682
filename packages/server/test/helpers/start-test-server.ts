import type { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  createRerankServer,
  type RerankServer,
  type RerankServerOptions,
} from '../../src/index.js';

/** The test token every helper server accepts. */
export const testToken = 'test-token-0123456789';

/** A started server, its base URL, and the JSON log lines it wrote. */
export type TestServer = {
  server: RerankServer;
  url: string;
  logLines: () => Record<string, unknown>[];
};

/** Starts a server on a free loopback port, logging to memory. */
export async function startTestServer(
  options: Omit<RerankServerOptions, 'tokens' | 'logger'> & { tokens?: readonly string[] },
): Promise<TestServer> {
  const lines: string[] = [];
  const sink = {
    write(chunk: string) {
      lines.push(chunk);
      return true;
    },
  } as unknown as Writable;
  const server = createRerankServer({
    tokens: [testToken],
    ...options,
    logger: pino({ level: 'info' }, sink),
  });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    server,
    url,
    logLines: () =>
      lines.flatMap((chunk) =>
        chunk
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      ),
  };
}

/** POSTs JSON (or raw text) with the test token; returns status, headers and parsed body. */
export async function post(
  url: string,
  body: unknown,
  options: { token?: string | null; raw?: string; contentType?: string; method?: string } = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
  };
  const token = options.token === undefined ? testToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method: options.method ?? 'POST',
    headers,
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Prometheus text and empty bodies stay text.
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
