import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  lexicalShare,
  OpenApiValidator,
  readBody,
  startLoopbackServer,
  words,
} from '@twostage/testkit';

/** What the emulator does instead of answering one `/rerank` or `/embed` request normally. */
export type TeiFault =
  /** Answer with this status, body and headers. */
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Answer normally after `ms` milliseconds, unless the client has gone by then. */
  | { type: 'delay'; ms: number }
  /** Answer 200 with a cut-off JSON body. */
  | { type: 'malformed-json' };

/** One request the emulator received. */
export type RecordedRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
};

/** Options of {@link startTeiEmulator}. */
export type TeiEmulatorOptions = {
  /** TEI's `--api-key`; no auth when undefined. */
  apiKey?: string;
  /** `--max-client-batch-size`. @default 32 */
  maxClientBatchSize?: number;
  /** `--max-concurrent-requests`: permits, one per text in flight. @default 512 */
  maxConcurrentRequests?: number;
  /** The served model. @default 'BAAI/bge-reranker-base' */
  modelId?: string;
  /** The length of `/embed` vectors. @default 16 */
  dimensions?: number;
};

/** A running emulator. */
export type TeiEmulator = {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Request fields TEI does not know, and other contract breaks by the client. */
  readonly violations: string[];
  /** The most texts that were in flight at once. */
  readonly peakTextsInFlight: number;
  /** Faults for the next `/rerank` or `/embed` requests, one per request, in order. */
  script(...faults: TeiFault[]): void;
  reset(): void;
  close(): Promise<void>;
};

const embedFields = [
  'inputs',
  'normalize',
  'truncate',
  'truncation_direction',
  'prompt_name',
  'dimensions',
];

/** A bag-of-words vector: each word adds 1 to a bucket picked by its hash; NFC-normalised. */
export function lexicalVector(text: string, dimensions: number, normalize: boolean): number[] {
  const vector: number[] = Array.from({ length: dimensions }, () => 0);
  for (const word of words(text)) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619) >>> 0;
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + 1;
  }
  // An empty text still gets a direction, as a model's vector would.
  if (!vector.some((value) => value !== 0)) vector[0] = 1;
  if (!normalize) return vector;
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => value / norm);
}

const rerankFields = [
  'query',
  'texts',
  'truncate',
  'truncation_direction',
  'raw_scores',
  'return_text',
];

/** Parsing the description takes a while: once per test file is enough. */
let validator: OpenApiValidator | undefined;

/**
 * A loopback emulator of TEI 1.9 (test-only), after `shared/reference/serving-engines.md` (TEI)
 * and the deviations in `shared/reference/openapi/README.md`: `GET /info`, `POST /rerank` (an
 * array of `{ index, score }` sorted by score; 422 `Validation` past `max_client_batch_size`;
 * 400 `Empty`; one permit per text, 429 `Overloaded` past `max_concurrent_requests`), auth by
 * exact `Bearer <key>` with a bodiless 401. Scores are the share of the query's words a text
 * holds, or the logit `8·share − 4` with `raw_scores`.
 */
export async function startTeiEmulator(options: TeiEmulatorOptions = {}): Promise<TeiEmulator> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  validator ??= new OpenApiValidator('tei-openapi.json');
  const checker = validator;
  let faults: TeiFault[] = [];
  let textsInFlight = 0;
  let peak = 0;
  const maxBatch = options.maxClientBatchSize ?? 32;
  const permits = options.maxConcurrentRequests ?? 512;
  const modelId = options.modelId ?? 'BAAI/bge-reranker-base';

  const send = (
    recorded: RecordedRequest,
    response: ServerResponse,
    status: number,
    body?: unknown,
    headers?: Record<string, string>,
  ) => {
    recorded.status = status;
    // Error bodies follow TEI's code, which differs from its file (422 for too many texts,
    // capitalised error_type): only 2xx answers are checked against the description.
    if (status >= 200 && status < 300 && body !== undefined) {
      const validation = checker.validateResponse(recorded.method, recorded.path, status, body);
      if (!validation.ok) {
        violations.push(
          `response ${status} to ${recorded.method} ${recorded.path}: ${validation.errors.join('; ')}`,
        );
      }
    }
    response.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    });
    response.end(body === undefined ? '' : JSON.stringify(body));
  };
  const teiError = (error: string, type: string) => ({ error, error_type: type });

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
    try {
      recorded.body = rawBody === '' ? undefined : JSON.parse(rawBody);
    } catch {
      recorded.body = rawBody;
    }
    if (
      options.apiKey !== undefined &&
      recorded.headers.authorization !== `Bearer ${options.apiKey}`
    ) {
      send(recorded, response, 401);
      return;
    }
    if (request.method === 'GET' && path === '/info') {
      send(recorded, response, 200, {
        model_id: modelId,
        model_dtype: 'float16',
        served_model_name: modelId,
        tokenization_workers: 2,
        model_type: { reranker: { id2label: { 0: 'LABEL_0' }, label2id: { LABEL_0: 0 } } },
        max_concurrent_requests: permits,
        max_input_length: 512,
        max_batch_tokens: 16384,
        max_client_batch_size: maxBatch,
        auto_truncate: true,
        version: '1.9.3',
      });
      return;
    }
    if (request.method !== 'POST' || (path !== '/rerank' && path !== '/embed')) {
      send(recorded, response, 404);
      return;
    }
    const requestValidation = checker.validateRequest('POST', path, recorded.body);
    if (!requestValidation.ok) {
      violations.push(`request POST ${path}: ${requestValidation.errors.join('; ')}`);
    }
    // A copy: the recorded body stays what the client sent.
    const body = { ...((recorded.body ?? {}) as Record<string, unknown>) };
    const known = path === '/rerank' ? rerankFields : embedFields;
    for (const key of Object.keys(body)) {
      if (!known.includes(key)) violations.push(`unknown ${path} field '${key}'`);
    }
    if (path === '/embed') {
      if (!Array.isArray(body.inputs)) body.inputs = [body.inputs];
      body.query = '';
      body.texts = body.inputs;
    }
    if (typeof body.query !== 'string' || !Array.isArray(body.texts)) {
      send(recorded, response, 422, teiError('Failed to deserialize the JSON body', 'Validation'));
      return;
    }
    const texts = body.texts as string[];
    if (texts.length === 0) {
      send(recorded, response, 400, teiError('`texts` cannot be empty', 'Empty'));
      return;
    }
    if (texts.length > maxBatch) {
      send(
        recorded,
        response,
        422,
        teiError(
          `batch size ${texts.length} > maximum allowed batch size ${maxBatch}`,
          'Validation',
        ),
      );
      return;
    }
    if (textsInFlight + texts.length > permits) {
      send(recorded, response, 429, teiError('Model is overloaded', 'Overloaded'));
      return;
    }
    textsInFlight += texts.length;
    peak = Math.max(peak, textsInFlight);
    try {
      const fault = faults.shift();
      if (fault?.type === 'status') {
        send(recorded, response, fault.status, fault.body, fault.headers);
        return;
      }
      if (fault?.type === 'malformed-json') {
        recorded.status = 200;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('[{"index":0,"sco');
        return;
      }
      // A turn of the event loop, so that concurrent windows overlap as they would on a server.
      await new Promise((resolve) => setTimeout(resolve, fault?.type === 'delay' ? fault.ms : 1));
      if (response.destroyed) return;
      if (path === '/embed') {
        const dimensions = options.dimensions ?? 16;
        const prefix = typeof body.prompt_name === 'string' ? `${body.prompt_name}: ` : '';
        send(
          recorded,
          response,
          200,
          texts.map((text) =>
            lexicalVector(prefix + String(text), dimensions, body.normalize !== false),
          ),
        );
        return;
      }
      const raw = body.raw_scores === true;
      const ranks = texts.map((text, index) => {
        const share = lexicalShare(body.query as string, String(text));
        return { index, score: raw ? 8 * share - 4 : share };
      });
      ranks.sort((left, right) => right.score - left.score || left.index - right.index);
      send(recorded, response, 200, ranks);
    } finally {
      textsInFlight -= texts.length;
    }
  };

  const server = await startLoopbackServer(handle);
  return {
    url: server.url,
    requests,
    violations,
    get peakTextsInFlight() {
      return peak;
    },
    script: (...next) => {
      faults.push(...next);
    },
    reset: () => {
      requests.length = 0;
      violations.length = 0;
      faults = [];
      peak = 0;
    },
    close: () => server.close(),
  };
}
