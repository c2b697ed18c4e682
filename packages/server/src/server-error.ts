/**
 * Why the server refuses a request. Each route family turns the kind into its own status and body:
 * Cohere's `{ id, message }` ({@link https://docs.cohere.com/reference/errors}) and TEI's
 * `{ error, error_type }` (TEI's `router/src/http/server.rs`, statuses per `error_type`).
 */
export type ServerErrorKind =
  | 'invalid'
  | 'empty'
  | 'too-many-documents'
  | 'too-long'
  | 'body-too-large'
  | 'media-type'
  | 'malformed-json'
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'no-embedding-model'
  | 'overloaded'
  | 'shutting-down'
  | 'not-ready'
  | 'timeout'
  | 'cancelled'
  | 'backend';

/** TEI's `ErrorType` values, capitalised as TEI sends them; `Unauthorized` and `NotFound` are ours. */
export type TeiErrorType =
  | 'Unhealthy'
  | 'Backend'
  | 'Overloaded'
  | 'Validation'
  | 'Tokenizer'
  | 'Empty'
  | 'Unauthorized'
  | 'NotFound';

/** Which wire shape a route's errors take. */
export type ErrorShape = 'cohere' | 'tei';

type Rendering = { cohere: number; tei: number; teiType: TeiErrorType };

// TEI answers Validation with 422 and Empty with 400; Cohere answers every bad request with 400.
const renderings: Record<ServerErrorKind, Rendering> = {
  invalid: { cohere: 400, tei: 422, teiType: 'Validation' },
  empty: { cohere: 400, tei: 400, teiType: 'Empty' },
  'too-many-documents': { cohere: 400, tei: 422, teiType: 'Validation' },
  'too-long': { cohere: 400, tei: 422, teiType: 'Validation' },
  'body-too-large': { cohere: 413, tei: 413, teiType: 'Validation' },
  'media-type': { cohere: 415, tei: 415, teiType: 'Validation' },
  'malformed-json': { cohere: 400, tei: 400, teiType: 'Validation' },
  unauthorized: { cohere: 401, tei: 401, teiType: 'Unauthorized' },
  'not-found': { cohere: 404, tei: 404, teiType: 'NotFound' },
  'method-not-allowed': { cohere: 405, tei: 405, teiType: 'NotFound' },
  'no-embedding-model': { cohere: 404, tei: 424, teiType: 'Backend' },
  overloaded: { cohere: 429, tei: 429, teiType: 'Overloaded' },
  'shutting-down': { cohere: 503, tei: 503, teiType: 'Unhealthy' },
  'not-ready': { cohere: 503, tei: 503, teiType: 'Unhealthy' },
  timeout: { cohere: 504, tei: 504, teiType: 'Backend' },
  cancelled: { cohere: 499, tei: 499, teiType: 'Backend' },
  backend: { cohere: 500, tei: 424, teiType: 'Backend' },
};

/** A request the server refuses; rendered by {@link renderError} in the route's own shape. */
export class ServerError extends Error {
  /** Why: decides the status and TEI's `error_type`. */
  readonly kind: ServerErrorKind;
  /** Seconds sent in `Retry-After` (429 and 503). */
  readonly retryAfterSeconds: number | undefined;

  /**
   * @param kind - why the request is refused
   * @param message - what the client reads; never a token, a path or an upstream body
   * @param retryAfterSeconds - sent as `Retry-After` when set
   */
  constructor(kind: ServerErrorKind, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ServerError';
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The HTTP status in the given shape. */
  statusFor(shape: ErrorShape): number {
    return renderings[this.kind][shape];
  }
}

/** A 400-family `invalid request: ...` error, worded as Cohere words its own. */
export function invalidRequest(message: string, kind: ServerErrorKind = 'invalid'): ServerError {
  return new ServerError(kind, `invalid request: ${message}`);
}

/** The body of an error response in the route's own shape. */
export function renderError(
  shape: ErrorShape,
  error: ServerError,
  requestId: string,
): Record<string, unknown> {
  return shape === 'cohere'
    ? { id: requestId, message: error.message }
    : { error: error.message, error_type: renderings[error.kind].teiType };
}
