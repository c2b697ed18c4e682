import { getEventListeners } from 'node:events';
import { inspect } from 'node:util';
import {
  AbortedError,
  ApiCallError,
  InvalidArgumentError,
  MissingSettingError,
  ModelNotFoundError,
  TwostageError,
} from '@twostage/core';
import { startLoopbackServer } from '@twostage/testkit';
import { describe, expect, test } from 'vitest';
import { createCohere } from '../src/index.js';
import type { CohereFault } from './emulator/cohere-emulator.js';
import { emulatorApiKey, useCohereEmulator } from './helpers/use-cohere-emulator.js';

const emulator = useCohereEmulator();

const call = {
  query: 'loan fee',
  documents: { type: 'text' as const, values: ['loan fee', 'hours'] },
};

function reranker(settings: { apiKey?: string; timeoutMs?: number } = {}) {
  return createCohere({ apiKey: emulatorApiKey, baseUrl: emulator().url, ...settings }).reranker(
    'rerank-v3.5',
  );
}

async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Everything an error exposes, the cause chain included, as one string. */
function serialise(error: unknown): string {
  return `${inspect(error, { depth: 20, showHidden: true })}\n${JSON.stringify(error)}\n${String(error)}`;
}

describe('HTTP statuses map to core errors', () => {
  const table: {
    fault: Extract<CohereFault, { type: 'status' }>;
    retryable: boolean;
    retryAfterMs?: number;
  }[] = [
    { fault: { type: 'status', status: 400 }, retryable: false },
    { fault: { type: 'status', status: 401 }, retryable: false },
    { fault: { type: 'status', status: 402, fromProxy: true }, retryable: false },
    { fault: { type: 'status', status: 403 }, retryable: false },
    { fault: { type: 'status', status: 404, message: 'route not found' }, retryable: false },
    { fault: { type: 'status', status: 408, fromProxy: true }, retryable: true },
    { fault: { type: 'status', status: 422 }, retryable: false },
    { fault: { type: 'status', status: 429 }, retryable: true },
    {
      fault: { type: 'status', status: 429, headers: { 'Retry-After': '7' } },
      retryable: true,
      retryAfterMs: 7000,
    },
    {
      fault: { type: 'status', status: 429, headers: { 'retry-after-ms': '250' } },
      retryable: true,
      retryAfterMs: 250,
    },
    { fault: { type: 'status', status: 498 }, retryable: false },
    { fault: { type: 'status', status: 499 }, retryable: false },
    { fault: { type: 'status', status: 500 }, retryable: true },
    { fault: { type: 'status', status: 501 }, retryable: true },
    { fault: { type: 'status', status: 502, fromProxy: true }, retryable: true },
    {
      fault: { type: 'status', status: 503, headers: { 'Retry-After': '2' } },
      retryable: true,
      retryAfterMs: 2000,
    },
    { fault: { type: 'status', status: 504 }, retryable: true },
  ];

  test.each(table)(
    '$fault.status $fault.headers → ApiCallError, retryable $retryable',
    async ({ fault, retryable, retryAfterMs }) => {
      emulator().script(fault);
      const error = await failure(reranker().doRerank(call));
      expect(ApiCallError.isInstance(error)).toBe(true);
      const apiCallError = error as ApiCallError;
      const sentBody = { message: fault.message ?? expect.any(String) };
      expect(apiCallError).toMatchObject({
        name: 'ApiCallError',
        statusCode: fault.status,
        url: `${emulator().url}/v2/rerank`,
        isRetryable: retryable,
        retryAfterMs,
        responseBody: sentBody,
      });
      expect(apiCallError.message).toContain(`status ${fault.status}`);
      expect(apiCallError.message).toContain(
        (apiCallError.responseBody as { message: string }).message,
      );
      expect(apiCallError.responseHeaders?.['content-type']).toBe('application/json');
      expect(emulator().requests).toHaveLength(1);
    },
  );

  test('a 404 naming the model is a ModelNotFoundError', async () => {
    const error = await failure(
      createCohere({ apiKey: emulatorApiKey, baseUrl: emulator().url })
        .reranker('rerank-v9-imaginary')
        .doRerank(call),
    );
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'cohere', modelId: 'rerank-v9-imaginary' });
    expect((error as Error).message).toContain("model 'rerank-v9-imaginary' not found");
    expect(ApiCallError.isInstance((error as Error).cause)).toBe(true);
    expect(((error as Error).cause as ApiCallError).statusCode).toBe(404);
  });

  test("Cohere's own validation error arrives with its message", async () => {
    const error = await failure(
      reranker().doRerank({ query: 'q', documents: { type: 'text', values: ['fine', '  '] } }),
    );
    expect(error).toMatchObject({
      name: 'ApiCallError',
      statusCode: 400,
      isRetryable: false,
      responseBody: { message: 'invalid request: document at index 1 cannot be empty' },
    });
  });
});

describe('failures without a status', () => {
  test('a timeout is a retryable ApiCallError, and the emulator saw the client leave', async () => {
    emulator().script({ type: 'delay', ms: 5_000 });
    // Long enough for the request to reach the emulator on a loaded machine, so that it can see
    // the client give up.
    const error = await failure(reranker({ timeoutMs: 1_000 }).doRerank(call));
    expect(error).toMatchObject({
      name: 'ApiCallError',
      statusCode: undefined,
      isRetryable: true,
      message: `Cohere request to ${emulator().url}/v2/rerank timed out after 1000 ms.`,
    });
    await emulator().waitFor(() => emulator().requests[0]?.closedBeforeResponse === true);
  });

  test('a body that stalls after the headers times out too', async () => {
    emulator().script({ type: 'stall-body' });
    const error = await failure(reranker({ timeoutMs: 1_000 }).doRerank(call));
    expect(error).toMatchObject({
      name: 'ApiCallError',
      statusCode: undefined,
      isRetryable: true,
      message: `Cohere request to ${emulator().url}/v2/rerank timed out after 1000 ms.`,
    });
    await emulator().waitFor(() => emulator().requests[0]?.closedBeforeResponse === true);
  });

  test('an abort while the body stalls rejects with AbortedError and closes the connection', async () => {
    emulator().script({ type: 'stall-body' });
    // Resolves once the client holds the headers, so the abort lands while the body is read.
    let headersArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      headersArrived = resolve;
    });
    const stage = createCohere({
      apiKey: emulatorApiKey,
      baseUrl: emulator().url,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        headersArrived();
        return response;
      },
    }).reranker('rerank-v3.5');
    const controller = new AbortController();
    const pending = stage.doRerank({ ...call, abortSignal: controller.signal });
    await arrived;
    controller.abort(new Error('user left'));
    const error = await failure(pending);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).reason).toEqual(new Error('user left'));
    await emulator().waitFor(() => emulator().requests[0]?.closedBeforeResponse === true);
  });

  test('a 599 a server really sends stays an HTTP status, apart from transport failures', async () => {
    // Status 599 is no status of HTTP's own, but a proxy's: it stays an HTTP status.
    emulator().script({
      type: 'status',
      status: 599,
      message: 'upstream network read timeout',
      fromProxy: true,
    });
    const error = await failure(reranker().doRerank(call));
    expect(error).toMatchObject({
      name: 'ApiCallError',
      statusCode: 599,
      isRetryable: true,
      responseBody: { message: 'upstream network read timeout' },
      message: `Cohere API call to ${emulator().url}/v2/rerank failed with status 599: upstream network read timeout`,
    });
  });

  test('a caller signal shared by many calls is left without listeners', async () => {
    // core hands one signal to every window and batch: a listener left per call would pile up.
    const controller = new AbortController();
    const stage = reranker();
    for (let count = 0; count < 12; count++) {
      await stage.doRerank({ ...call, abortSignal: controller.signal });
    }
    emulator().script({ type: 'status', status: 503 }, { type: 'reset' });
    await failure(stage.doRerank({ ...call, abortSignal: controller.signal }));
    await failure(stage.doRerank({ ...call, abortSignal: controller.signal }));
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    expect(emulator().requests.map((request) => request.status)).toEqual([
      ...Array.from({ length: 12 }, () => 200),
      503,
      undefined,
    ]);
  });

  test('a connection reset is a retryable ApiCallError naming the failure', async () => {
    emulator().script({ type: 'reset' });
    const error = await failure(reranker().doRerank(call));
    expect(error).toMatchObject({ name: 'ApiCallError', statusCode: undefined, isRetryable: true });
    expect((error as Error).message).toMatch(/failed before a response arrived: fetch failed/);
  });

  test('a refused connection is a retryable ApiCallError', async () => {
    const closed = await startLoopbackServer(() => {});
    await closed.close();
    const error = await failure(
      createCohere({ apiKey: emulatorApiKey, baseUrl: closed.url })
        .reranker('rerank-v3.5')
        .doRerank(call),
    );
    expect(error).toMatchObject({
      name: 'ApiCallError',
      isRetryable: true,
      url: `${closed.url}/v2/rerank`,
    });
    expect((error as Error).message).toContain('fetch failed: connect ECONNREFUSED');
  });

  test('malformed JSON with status 200 is a non-retryable ApiCallError holding the text', async () => {
    emulator().script({ type: 'malformed-json' });
    const error = await failure(reranker().doRerank(call));
    expect(error).toMatchObject({
      name: 'ApiCallError',
      statusCode: 200,
      isRetryable: false,
    });
    expect((error as ApiCallError).responseBody).toBe(
      '{"id":"truncated","results":[{"index":0,"relevance_',
    );
    expect((error as Error).message).toContain('it is not valid JSON');
  });

  test('an abort in flight rejects with AbortedError carrying the reason', async () => {
    emulator().script({ type: 'delay', ms: 5_000 });
    const controller = new AbortController();
    const pending = reranker().doRerank({ ...call, abortSignal: controller.signal });
    await emulator().waitFor(() => emulator().requests.length === 1);
    controller.abort(new Error('user left'));
    const error = await failure(pending);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).reason).toEqual(new Error('user left'));
    await emulator().waitFor(() => emulator().requests[0]?.closedBeforeResponse === true);
  });

  test('an already aborted signal sends nothing', async () => {
    const error = await failure(reranker().doRerank({ ...call, abortSignal: AbortSignal.abort() }));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(emulator().requests).toEqual([]);
  });
});

describe('the API key', () => {
  test('a missing key names the option and both variables, and nothing is sent', async () => {
    const stage = createCohere({ baseUrl: emulator().url }).reranker('rerank-v3.5');
    const error = await failure(stage.doRerank(call));
    expect(MissingSettingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      setting: 'apiKey',
      environmentVariables: ['COHERE_API_KEY', 'CO_API_KEY'],
    });
    expect((error as Error).message).toContain("'apiKey'");
    expect((error as Error).message).toContain("'COHERE_API_KEY'");
    expect(emulator().requests).toEqual([]);
  });

  test('is read from COHERE_API_KEY, else CO_API_KEY, at call time', async () => {
    const stage = createCohere({ baseUrl: emulator().url }).reranker('rerank-v3.5');
    process.env.CO_API_KEY = emulatorApiKey;
    await stage.doRerank(call);
    process.env.COHERE_API_KEY = 'cohere-key-wins-0000';
    await failure(stage.doRerank(call));
    expect(emulator().requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${emulatorApiKey}`,
      'Bearer cohere-key-wins-0000',
    ]);
  });

  test('an explicit key wins even when the environment holds none or another', async () => {
    await reranker().doRerank(call);
    process.env.COHERE_API_KEY = 'env-key-must-lose-000';
    process.env.CO_API_KEY = 'co-env-key-must-lose-0';
    await reranker().doRerank(call);
    expect(emulator().requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${emulatorApiKey}`,
      `Bearer ${emulatorApiKey}`,
    ]);
  });

  test('never appears in an error, its fields or its cause chain, even when the server echoes it', async () => {
    const faults: CohereFault[] = [
      { type: 'status', status: 401, message: `invalid api token ${emulatorApiKey}` },
      {
        type: 'status',
        status: 429,
        message: `slow down, ${emulatorApiKey}`,
        headers: { 'x-echo': `Bearer ${emulatorApiKey}`, 'Retry-After': '1' },
      },
      { type: 'status', status: 404, message: `model for key ${emulatorApiKey} not found` },
      { type: 'reset' },
      { type: 'malformed-json' },
    ];
    for (const fault of faults) {
      emulator().script(fault);
      const error = await failure(reranker().doRerank(call));
      expect(TwostageError.isInstance(error)).toBe(true);
      const text = serialise(error);
      expect(text).not.toContain(emulatorApiKey);
      if (fault.type === 'status') expect(text).toContain('[REDACTED]');
    }
    // A wrong key is refused by the server and never repeated in the error either.
    const wrongKey = 'wrong-key-abcdef-123456';
    const error = await failure(reranker({ apiKey: wrongKey }).doRerank(call));
    expect(error).toMatchObject({
      statusCode: 401,
      responseBody: { message: 'invalid api token' },
    });
    expect(serialise(error)).not.toContain(wrongKey);
  });

  test('neither does the password of a base URL with user info', async () => {
    // fetch refuses such a URL and quotes it whole in its error.
    const password = 'proxy-password-8472';
    const error = await failure(
      createCohere({
        apiKey: emulatorApiKey,
        baseUrl: emulator().url.replace('http://', `http://proxy-user:${password}@`),
      })
        .reranker('rerank-v3.5')
        .doRerank(call),
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ url: `${emulator().url}/v2/rerank` });
    expect(serialise(error)).not.toContain(password);
    expect(serialise(error)).not.toContain('proxy-user');
    expect(emulator().requests).toEqual([]);
  });

  test('credential headers of an error response are not kept on the error', async () => {
    emulator().script({
      type: 'status',
      status: 503,
      headers: { 'set-cookie': 'session=abc123-gateway', 'x-trace': 't-1' },
    });
    const error = (await failure(reranker().doRerank(call))) as ApiCallError;
    expect(error.statusCode).toBe(503);
    expect(error.responseHeaders?.['x-trace']).toBe('t-1');
    expect(error.responseHeaders).not.toHaveProperty('set-cookie');
    expect(serialise(error)).not.toContain('abc123-gateway');
  });

  test('is not on a stage or a model that is logged or serialised', () => {
    const provider = createCohere({
      apiKey: emulatorApiKey,
      baseUrl: emulator().url,
      headers: { 'X-Api-Key': 'proxy-header-key-5150' },
    });
    for (const model of [provider.reranker('rerank-v3.5'), provider.embeddingModel('embed-v4.0')]) {
      const shown = `${inspect(model, { depth: null, showHidden: true })}\n${JSON.stringify(model)}`;
      expect(shown).toContain(model.modelId);
      expect(shown).not.toContain(emulatorApiKey);
      expect(shown).not.toContain('proxy-header-key-5150');
    }
  });

  test('creating a provider and a stage without a key does not throw', () => {
    expect(() => createCohere().reranker('rerank-v3.5')).not.toThrow();
    expect(() => createCohere().embeddingModel('embed-v4.0')).not.toThrow();
  });
});

describe('transport errors', () => {
  test('a fetch that fails with a cause chain is a retryable network error, redacted', async () => {
    const cause = Object.assign(new Error(`socket hang up near ${emulatorApiKey}`), {
      code: 'ECONNRESET',
    });
    const error = await failure(
      createCohere({
        apiKey: emulatorApiKey,
        baseUrl: 'https://api.cohere.com',
        fetch: () => Promise.reject(new TypeError('fetch failed', { cause })),
      })
        .reranker('rerank-v3.5')
        .doRerank(call),
    );
    expect(error).toMatchObject({ name: 'ApiCallError', isRetryable: true });
    expect((error as Error).message).toBe(
      'Cohere request to https://api.cohere.com/v2/rerank failed before a response arrived: fetch failed: socket hang up near [REDACTED]: ECONNRESET',
    );
    expect(serialise(error)).not.toContain(emulatorApiKey);
  });
});

describe('settings', () => {
  test('a custom fetch carries every request', async () => {
    const seen: string[] = [];
    const stage = createCohere({
      apiKey: emulatorApiKey,
      baseUrl: emulator().url,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    }).reranker('rerank-v3.5');
    await stage.doRerank(call);
    expect(seen).toEqual([`${emulator().url}/v2/rerank`]);
  });

  test('a base URL that is not http(s) is an invalid argument, not a retryable network failure', async () => {
    for (const baseUrl of ['localhost:8080', 'api.cohere.com', 'ftp://files.example']) {
      const error = (() => {
        try {
          createCohere({ apiKey: emulatorApiKey, baseUrl });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ argument: 'baseUrl' });
    }
    // From the environment, found at call time: nothing is sent and nothing would be retried.
    process.env.COHERE_BASE_URL = '127.0.0.1:8080';
    const error = await failure(
      createCohere({ apiKey: emulatorApiKey }).reranker('rerank-v3.5').doRerank(call),
    );
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ argument: 'COHERE_BASE_URL' });
    expect((error as Error).message).toContain('got a value that is not a URL');
  });

  test('a timeout that is not a positive number is refused when the provider is created', () => {
    expect(() => createCohere({ timeoutMs: 0 })).toThrow(/'timeoutMs'/);
    expect(() => createCohere({ timeoutMs: Number.NaN })).toThrow(/'timeoutMs'/);
  });
});
