import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A request the fake hub received. */
export type FakeHubRequest = {
  url: string;
  range: string | undefined;
  authorization: string | undefined;
};

/** Faults to inject, consumed as they fire. */
export type FakeHubFaults = {
  /** Close the connection after this many body bytes of a file, this many times. */
  drop?: { file: string; afterBytes: number; times: number };
  /** Announce a wrong sha256 for this file. */
  wrongChecksum?: string;
  /** Repositories that answer 401 without this bearer token. */
  requireToken?: { repository: string; token: string };
  /** Wait this long before answering each CDN (file body) request: a slow download. */
  cdnDelayMs?: number;
};

/**
 * A loopback fake of the hub's `/{repo}/resolve/{revision}/{file}` route. Repositories map to
 * local directories. `.onnx` files behave like LFS files: a 302 to a CDN path carrying
 * `x-linked-etag` (the sha256) and `x-linked-size`; the CDN path honours `Range`. JSON files are
 * served directly with a git-style (non-sha256) etag.
 */
export async function startFakeHub(
  repositories: Record<string, string>,
  faults: FakeHubFaults = {},
) {
  const requests: FakeHubRequest[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    requests.push({
      url,
      range: request.headers.range,
      authorization: request.headers.authorization,
    });
    const cdn = /^\/cdn\/([^/]+)\/([^/]+)\/(.+)$/.exec(url);
    if (cdn !== null) {
      const [, owner = '', name = '', file = ''] = cdn;
      const directory = repositories[`${owner}/${name}`] ?? '';
      const bytes = readFileSync(join(directory, decodeURIComponent(file)));
      const start = Number(/bytes=(\d+)-/.exec(request.headers.range ?? '')?.[1] ?? 0);
      const body = bytes.subarray(start);
      response.writeHead(start > 0 ? 206 : 200, {
        'content-length': body.length,
        ...(start > 0
          ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` }
          : {}),
      });
      const drop = faults.drop;
      if (drop !== undefined && drop.times > 0 && decodeURIComponent(file) === drop.file) {
        drop.times -= 1;
        response.write(body.subarray(0, drop.afterBytes), () => response.socket?.destroy());
        return;
      }
      response.end(body);
      return;
    }
    const match = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url);
    const repository = match === null ? undefined : `${match[1]}/${match[2]}`;
    const directory = repository === undefined ? undefined : repositories[repository];
    if (match === null || directory === undefined || repository === undefined) {
      response.writeHead(404).end('Repository not found');
      return;
    }
    const required = faults.requireToken;
    if (
      required !== undefined &&
      required.repository === repository &&
      request.headers.authorization !== `Bearer ${required.token}`
    ) {
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":"Access to model is restricted."}');
      return;
    }
    const file = decodeURIComponent(match[4] ?? '');
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(directory, file));
    } catch {
      response.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found');
      return;
    }
    if (file.endsWith('.onnx')) {
      const sha = createHash('sha256')
        .update(faults.wrongChecksum === file ? 'something else' : bytes)
        .digest('hex');
      response
        .writeHead(302, {
          location: `/cdn/${repository}/${match[4]}`,
          'x-linked-etag': `"${sha}"`,
          'x-linked-size': String(bytes.length),
          etag: `"${sha}"`,
        })
        .end();
      return;
    }
    const gitSha = createHash('sha1').update(bytes).digest('hex');
    response.writeHead(200, { 'content-length': bytes.length, etag: `W/"${gitSha}"` }).end(bytes);
  };
  const server: Server = createServer((request, response) => {
    const delay = request.url?.startsWith('/cdn/') ? (faults.cdnDelayMs ?? 0) : 0;
    if (delay > 0) setTimeout(() => handle(request, response), delay);
    else handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
