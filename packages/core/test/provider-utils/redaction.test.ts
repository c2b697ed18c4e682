import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { TwostageError } from '../../src/errors/index.js';
import { callApi, postJsonToApi } from '../../src/provider-utils/index.js';
import { type Answer, failure, type LoopbackApi, startLoopbackApi } from './loopback-api.js';

const apiKey = 'sk-live-0123456789abcdef';

let api: LoopbackApi;
beforeAll(async () => {
  api = await startLoopbackApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
});

/** Everything an error exposes, its fields and cause chain included, as one string. */
function serialise(error: unknown): string {
  return `${inspect(error, { depth: 20, showHidden: true })}\n${JSON.stringify(error)}\n${String(error)}\n${(error as Error).stack}`;
}

/** Server answers that echo the key back in every place an error may keep. */
const echoes: Answer[] = [
  { type: 'json', status: 401, body: { message: `invalid api token ${apiKey}` } },
  {
    type: 'text',
    status: 429,
    text: `slow down, ${apiKey}`,
    headers: { 'x-echo': `Bearer ${apiKey}`, 'retry-after': '1' },
  },
  { type: 'json', status: 500, body: { error: { code: 'UNKNOWN', message: `key ${apiKey}` } } },
  { type: 'text', status: 200, text: `not json ${apiKey}`, headers: { 'x-echo': apiKey } },
  { type: 'reset' },
  { type: 'reset-mid-body' },
  { type: 'silent' },
];
/** The same, less the success: `callApi` does not parse bodies, so a 200 is no failure there. */
const failingEchoes = echoes.filter((answer) => (answer as { status?: number }).status !== 200);

describe('secrets never appear in an error', () => {
  test.each(echoes)('given as a Bearer header, answered with $type $status', async (answer) => {
    api.answer(answer);
    const error = await failure(
      postJsonToApi({
        provider: 'Acme',
        url: `${api.url}/v1/rerank`,
        headers: { Authorization: `Bearer ${apiKey}` },
        body: { query: 'q' },
        timeoutMs: 200,
      }),
    );
    expect(TwostageError.isInstance(error)).toBe(true);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    const text = serialise(error);
    expect(text).not.toContain(apiKey);
    if (answer.type === 'json' || answer.type === 'text') expect(text).toContain('[REDACTED]');
  });

  test.each(failingEchoes)(
    'given in the URL query, answered with $type $status',
    async (answer) => {
      api.answer(answer);
      const error = await failure(
        callApi({
          provider: 'Acme',
          url: `${api.url}/v1/rerank?key=${apiKey}&alt=json`,
          timeoutMs: 200,
        }),
      );
      expect(api.requests[0]?.url).toBe(`/v1/rerank?key=${apiKey}&alt=json`);
      expect(serialise(error)).not.toContain(apiKey);
      expect((error as { url: string }).url).toBe(`${api.url}/v1/rerank?key=[REDACTED]&alt=json`);
    },
  );

  test.each(failingEchoes)(
    'given as an Api-Key header and as a secret, answered with $type $status',
    async (answer) => {
      api.answer(answer);
      const error = await failure(
        callApi({
          provider: 'Acme',
          url: `${api.url}/v1/rerank`,
          method: 'POST',
          headers: { 'Api-Key': apiKey },
          // A body that holds the key itself (a provider echoing the request in its error).
          body: JSON.stringify({ apiKey }),
          secrets: [apiKey],
          timeoutMs: 200,
        }),
      );
      expect(serialise(error)).not.toContain(apiKey);
    },
  );

  test('nor the user info of a URL, which fetch refuses and quotes whole', async () => {
    const password = 'proxy-password-8472';
    const error = await failure(
      callApi({
        provider: 'Acme',
        url: `${api.url.replace('http://', `http://proxy-user:${password}@`)}/v1/rerank`,
      }),
    );
    expect(error).toMatchObject({ name: 'ApiCallError', url: `${api.url}/v1/rerank` });
    expect(serialise(error)).not.toContain(password);
    expect(serialise(error)).not.toContain('proxy-user');
    expect(api.requests).toEqual([]);
  });

  test("nor a transport error's cause chain; the chain's messages and code stay readable", async () => {
    const cause = Object.assign(new Error(`socket hang up near ${apiKey}`), {
      code: 'ECONNRESET',
    });
    const error = await failure(
      callApi({
        provider: 'Acme',
        url: `${api.url}/v1/rerank`,
        secrets: [apiKey],
        fetch: () => Promise.reject(new TypeError('fetch failed', { cause })),
      }),
    );
    expect(error).toMatchObject({ name: 'ApiCallError', isRetryable: true });
    expect((error as Error).message).toBe(
      `Acme request to ${api.url}/v1/rerank failed before a response arrived: fetch failed: socket hang up near [REDACTED]: ECONNRESET`,
    );
    const copied = (error as Error).cause as Error;
    expect(copied).not.toBe(cause);
    expect((copied.cause as Error | undefined)?.message).toBe('socket hang up near [REDACTED]');
    expect(serialise(error)).not.toContain(apiKey);
  });

  test('credential headers of an error response are not kept', async () => {
    api.answer({
      type: 'json',
      status: 503,
      body: {},
      headers: { 'set-cookie': 'session=abc123-gateway', 'x-trace': 't-1' },
    });
    const error = (await failure(callApi({ provider: 'Acme', url: `${api.url}/x` }))) as {
      responseHeaders?: Record<string, string>;
    };
    expect(error.responseHeaders?.['x-trace']).toBe('t-1');
    expect(error.responseHeaders).not.toHaveProperty('set-cookie');
    expect(serialise(error)).not.toContain('abc123-gateway');
  });
});
