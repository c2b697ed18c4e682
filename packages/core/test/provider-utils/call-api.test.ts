import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AbortedError, ApiCallError, InvalidArgumentError } from '../../src/errors/index.js';
import { callApi } from '../../src/provider-utils/index.js';
import { type Answer, failure, type LoopbackApi, startLoopbackApi } from './loopback-api.js';

let api: LoopbackApi;
beforeAll(async () => {
  api = await startLoopbackApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
  api.answer({ type: 'json', body: { ok: true } });
});

const call = (options: Partial<Parameters<typeof callApi>[0]> = {}) =>
  callApi({ provider: 'Acme', url: `${api.url}/v1/rerank`, ...options });

describe('a successful call', () => {
  test('sends the method, headers and body, and returns the whole response', async () => {
    api.answer({
      type: 'json',
      status: 201,
      body: { id: 'r-1' },
      headers: { 'x-request-id': 'q-9' },
    });
    const response = await call({
      method: 'PUT',
      headers: { 'x-team': 'search', 'x-dropped': undefined },
      body: 'payload',
    });
    expect(response).toMatchObject({
      url: `${api.url}/v1/rerank`,
      status: 201,
      text: '{"id":"r-1"}',
    });
    expect(response.headers.get('x-request-id')).toBe('q-9');
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'PUT', url: '/v1/rerank', body: 'payload' });
    expect(request?.headers['x-team']).toBe('search');
    expect(request?.headers).not.toHaveProperty('x-dropped');
  });

  test('is a GET without a body, a POST with one', async () => {
    await call();
    await call({ body: '{}' });
    expect(api.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
  });

  test('takes a custom fetch', async () => {
    const seen: string[] = [];
    await call({
      fetch: (input, init) => {
        seen.push(`${init?.method} ${String(input)}`);
        return fetch(input, init);
      },
    });
    expect(seen).toEqual([`GET ${api.url}/v1/rerank`]);
  });
});

describe('an error status', () => {
  const table: { answer: Answer; retryable: boolean; retryAfterMs?: number; detail: string }[] = [
    {
      answer: { type: 'json', status: 400, body: { message: 'query is empty' } },
      retryable: false,
      detail: ': query is empty',
    },
    {
      answer: { type: 'json', status: 401, body: { message: 'invalid api token' } },
      retryable: false,
      detail: ': invalid api token',
    },
    {
      answer: { type: 'text', status: 404, text: 'Not Found' },
      retryable: false,
      detail: ': Not Found',
    },
    {
      answer: { type: 'text', status: 408, text: '' },
      retryable: true,
      detail: ': Request Timeout',
    },
    { answer: { type: 'json', status: 409, body: {} }, retryable: true, detail: ': Conflict' },
    {
      answer: { type: 'text', status: 429, text: 'slow down', headers: { 'Retry-After': '7' } },
      retryable: true,
      retryAfterMs: 7000,
      detail: ': slow down',
    },
    {
      answer: {
        type: 'json',
        status: 429,
        body: { error: { code: 'RESOURCE_EXHAUSTED', message: 'quota' } },
        headers: { 'retry-after-ms': '250' },
      },
      retryable: true,
      retryAfterMs: 250,
      detail: ': RESOURCE_EXHAUSTED: quota',
    },
    {
      answer: { type: 'json', status: 500, body: { code: 13, message: 'internal', details: [] } },
      retryable: true,
      detail: ': internal',
    },
    {
      answer: { type: 'text', status: 503, text: '', headers: { 'Retry-After': '2' } },
      retryable: true,
      retryAfterMs: 2000,
      detail: ': Service Unavailable',
    },
    {
      answer: { type: 'json', status: 599, body: { message: 'upstream read timeout' } },
      retryable: true,
      detail: ': upstream read timeout',
    },
  ];

  test.each(table)(
    '$answer.status → ApiCallError, retryable $retryable',
    async ({ answer, retryable, retryAfterMs, detail }) => {
      api.answer(answer);
      const error = await failure(call({ body: '{}' }));
      expect(ApiCallError.isInstance(error)).toBe(true);
      const status = (answer as { status: number }).status;
      expect(error).toMatchObject({
        name: 'ApiCallError',
        message: `Acme API call to ${api.url}/v1/rerank failed with status ${status}${detail}`,
        url: `${api.url}/v1/rerank`,
        statusCode: status,
        isRetryable: retryable,
        retryAfterMs,
      });
      expect(api.requests).toHaveLength(1);
    },
  );

  test('keeps the parsed JSON body, or the text, and the headers', async () => {
    api.answer({ type: 'json', status: 422, body: { message: 'bad', field: 'topN' } });
    const json = (await failure(call())) as ApiCallError;
    expect(json.responseBody).toEqual({ message: 'bad', field: 'topN' });
    expect(json.responseHeaders?.['content-type']).toBe('application/json');

    api.answer({ type: 'text', status: 502, text: '<html>Bad gateway</html>' });
    const text = (await failure(call())) as ApiCallError;
    expect(text.responseBody).toBe('<html>Bad gateway</html>');
    expect(text.message).toBe(
      `Acme API call to ${api.url}/v1/rerank failed with status 502: <html>Bad gateway</html>`,
    );
  });

  test('a provider can say which statuses are worth retrying', async () => {
    api.answer({ type: 'json', status: 409, body: { message: 'already exists' } });
    const error = await failure(
      call({ isRetryableStatus: (status) => status === 429 || status >= 500 }),
    );
    expect(error).toMatchObject({ statusCode: 409, isRetryable: false });
  });

  test('an error status whose body is cut off still reports the status', async () => {
    api.answer({ type: 'reset-mid-body', status: 503 });
    const error = await failure(call());
    expect(error).toMatchObject({ name: 'ApiCallError', statusCode: 503, isRetryable: true });
  });
});

describe('failures without a complete answer', () => {
  test('a server that never answers times out with a retryable ApiCallError and is left', async () => {
    api.answer({ type: 'silent' });
    const error = await failure(call({ timeoutMs: 200 }));
    expect(error).toMatchObject({
      name: 'ApiCallError',
      message: `Acme request to ${api.url}/v1/rerank timed out after 200 ms.`,
      statusCode: undefined,
      isRetryable: true,
    });
    await api.waitFor(() => api.requests[0]?.closedBeforeResponse === true);
  });

  test('a body that stalls after the headers times out too', async () => {
    api.answer({ type: 'stall-body' });
    const error = await failure(call({ timeoutMs: 200 }));
    expect(error).toMatchObject({
      name: 'ApiCallError',
      message: `Acme request to ${api.url}/v1/rerank timed out after 200 ms.`,
      statusCode: undefined,
      isRetryable: true,
    });
    await api.waitFor(() => api.requests[0]?.closedBeforeResponse === true);
  });

  test('an abort in flight rejects with AbortedError carrying the reason and drops the request', async () => {
    api.answer({ type: 'silent' });
    const controller = new AbortController();
    const pending = call({ abortSignal: controller.signal, timeoutMs: 60_000 });
    await api.waitFor(() => api.requests.length === 1);
    controller.abort(new Error('user left'));
    const error = await failure(pending);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).reason).toEqual(new Error('user left'));
    expect(ApiCallError.isInstance(error)).toBe(false);
    await api.waitFor(() => api.requests[0]?.closedBeforeResponse === true);
  });

  test('an abort while the body stalls rejects with AbortedError', async () => {
    api.answer({ type: 'stall-body' });
    const controller = new AbortController();
    const pending = call({
      abortSignal: controller.signal,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        controller.abort(new Error('user left'));
        return response;
      },
    });
    const error = await failure(pending);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).reason).toEqual(new Error('user left'));
  });

  test('an already aborted signal sends nothing', async () => {
    const error = await failure(call({ abortSignal: AbortSignal.abort('gone') }));
    expect(error).toMatchObject({ name: 'AbortedError', reason: 'gone' });
    expect(api.requests).toEqual([]);
  });

  test('a caller signal shared by many calls is left without listeners', async () => {
    const controller = new AbortController();
    for (let count = 0; count < 12; count++) {
      await call({ abortSignal: controller.signal, timeoutMs: 10_000 });
    }
    api.answer({ type: 'json', status: 503, body: {} });
    await failure(call({ abortSignal: controller.signal }));
    api.answer({ type: 'reset' });
    await failure(call({ abortSignal: controller.signal }));
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  });

  test('a reset before the answer is a retryable ApiCallError naming the failure', async () => {
    api.answer({ type: 'reset' });
    const error = await failure(call());
    expect(error).toMatchObject({ name: 'ApiCallError', statusCode: undefined, isRetryable: true });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Acme request to ${api.url}/v1/rerank failed before a response arrived: fetch failed`,
      ),
    );
  });

  test('a reset in the middle of a 200 body is a retryable ApiCallError', async () => {
    api.answer({ type: 'reset-mid-body' });
    const error = await failure(call());
    expect(error).toMatchObject({ name: 'ApiCallError', statusCode: undefined, isRetryable: true });
    expect((error as Error).message).toContain(
      `Acme request to ${api.url}/v1/rerank failed while its response (status 200) was read: `,
    );
  });

  test('a refused connection is a retryable ApiCallError with the system reason', async () => {
    const closed = await startLoopbackApi();
    await closed.close();
    const error = await failure(callApi({ provider: 'Acme', url: `${closed.url}/v1/embed` }));
    expect(error).toMatchObject({
      name: 'ApiCallError',
      url: `${closed.url}/v1/embed`,
      isRetryable: true,
    });
    expect((error as Error).message).toContain('fetch failed: connect ECONNREFUSED');
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  test('a custom fetch that ignores its signal still cannot outlast the timeout or the abort', async () => {
    const hanging = () => new Promise<Response>(() => {});
    const error = await failure(call({ timeoutMs: 100, fetch: hanging }));
    expect(error).toMatchObject({
      name: 'ApiCallError',
      message: `Acme request to ${api.url}/v1/rerank timed out after 100 ms.`,
      isRetryable: true,
    });
    const controller = new AbortController();
    const pending = call({ abortSignal: controller.signal, fetch: hanging });
    controller.abort('user left');
    expect(await failure(pending)).toMatchObject({ name: 'AbortedError', reason: 'user left' });
  });

  test('a timeout that is not a positive number is an InvalidArgumentError, and nothing is sent', async () => {
    for (const timeoutMs of [0, -1, Number.NaN]) {
      const error = await failure(call({ timeoutMs }));
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ argument: 'timeoutMs' });
    }
    expect(api.requests).toEqual([]);
  });
});
