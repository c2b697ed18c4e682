import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A loopback stand-in for the Hugging Face hub, serving local directories as repositories. */
export type FakeHub = {
  /** `http://127.0.0.1:<port>`, for `HF_ENDPOINT`. */
  endpoint: string;
  /** Paths of every request, in order (`/owner/name/resolve/main/config.json`, `/lfs/...`). */
  requests: string[];
  close: () => Promise<void>;
};

/** Faults the fake hub injects. */
export type FakeHubFaults = {
  /** Cut the connection after this many bytes of this LFS file, the first `times` times. */
  drop?: { file: string; afterBytes: number; times: number };
};

/**
 * Starts a fake of the hub's download route, `GET /{owner}/{name}/resolve/{revision}/{file}`,
 * following the hub's observable behaviour: an unknown repository or file is a 404; an `.onnx`
 * file is an LFS file, answered with a 302 to a separate `/lfs/` path plus `x-linked-etag` (its
 * sha256) and `x-linked-size`, and the `/lfs/` path honours `Range`; other files are served
 * directly with a git-style etag. `repositories` maps `owner/name@revision` (or `owner/name` for
 * any revision) to a directory.
 */
export async function startFakeHub(
  repositories: Record<string, string>,
  faults: FakeHubFaults = {},
): Promise<FakeHub> {
  const requests: string[] = [];
  const directoryOf = (repository: string, revision: string) =>
    repositories[`${repository}@${revision}`] ?? repositories[repository];

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://hub.invalid');
    requests.push(url.pathname);
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] === 'lfs') {
      const [, owner = '', name = '', revision = '', ...file] = parts;
      await serveLfs(response, request, directoryOf(`${owner}/${name}`, revision), file.join('/'));
      return;
    }
    const [owner = '', name = '', route, revision = '', ...file] = parts;
    const directory = route === 'resolve' ? directoryOf(`${owner}/${name}`, revision) : undefined;
    if (directory === undefined) {
      response.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end('Repository not found');
      return;
    }
    const path = file.join('/');
    const bytes = await readFile(join(directory, path)).catch(() => undefined);
    if (bytes === undefined) {
      response.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found');
      return;
    }
    if (path.endsWith('.onnx')) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      response
        .writeHead(302, {
          location: `/lfs/${owner}/${name}/${revision}/${path}`,
          'x-linked-etag': `"${sha256}"`,
          'x-linked-size': String(bytes.length),
        })
        .end();
      return;
    }
    const gitSha = createHash('sha1').update(bytes).digest('hex');
    response.writeHead(200, { 'content-length': bytes.length, etag: `"${gitSha}"` }).end(bytes);
  };

  const serveLfs = async (
    response: ServerResponse,
    request: IncomingMessage,
    directory: string | undefined,
    file: string,
  ) => {
    const bytes =
      directory === undefined
        ? undefined
        : await readFile(join(directory, file)).catch(() => undefined);
    if (bytes === undefined) {
      response.writeHead(404).end();
      return;
    }
    const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
    const body = bytes.subarray(start);
    response.writeHead(start > 0 ? 206 : 200, {
      'content-length': body.length,
      ...(start > 0
        ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` }
        : {}),
    });
    const drop = faults.drop;
    if (drop !== undefined && drop.times > 0 && drop.file === file) {
      drop.times -= 1;
      response.write(body.subarray(0, drop.afterBytes), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  };

  const server = createServer((request, response) => {
    serve(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An `http://127.0.0.1:<port>` where nothing listens (a port just released by a server), so a
 * connection is refused at once: the hub of a machine without network, bounded and local.
 */
export async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
