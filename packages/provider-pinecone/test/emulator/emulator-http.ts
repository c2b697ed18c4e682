/** The request and answer shapes of the emulated HTTP API, and its error bodies. */

/** Which part of Pinecone a request went to. */
export type Plane = 'control' | 'data' | 'inference';

/** The operations the emulator serves, named as in the client. */
export type EmulatedOperation =
  | 'describeIndex'
  | 'embed'
  | 'rerank'
  | 'upsert'
  | 'query'
  | 'fetch'
  | 'delete'
  | 'describeIndexStats'
  | 'upsertRecords'
  | 'searchRecords';

/** A request that reached the emulator, as it left the client. */
export type RecordedRequest = {
  plane: Plane;
  operation: EmulatedOperation | undefined;
  /** The index, for data-plane requests. */
  index: string | undefined;
  method: string;
  /** The path, decoded (`/records/namespaces/my ns/upsert`). */
  path: string;
  /** The path as sent (`/records/namespaces/my%20ns/upsert`). */
  rawPath: string;
  query: URLSearchParams;
  /** Header names lowercase. */
  headers: Record<string, string>;
  /** The parsed body: JSON, or an array of records for NDJSON. */
  body: unknown;
  /** The raw body's size in bytes. */
  bytes: number;
};

/** What the emulator answers: a status, and a JSON body (or text with `contentType`). */
export type Answer = {
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
};

const grpcCodes: Record<string, number> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNAUTHENTICATED: 16,
  UNKNOWN: 2,
  UNAVAILABLE: 14,
};

export function codeOf(status: number): string {
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  if (status === 503) return 'UNAVAILABLE';
  if (status >= 500) return 'UNKNOWN';
  if (status === 404) return 'NOT_FOUND';
  return 'INVALID_ARGUMENT';
}

/** The data plane answers errors as gRPC `rpcStatus`; control plane and inference as `ErrorResponse`. */
export function errorBody(plane: Plane, status: number, code: string, message: string): unknown {
  if (plane === 'data') return { code: grpcCodes[code] ?? 2, message, details: [] };
  return { status, error: { code, message } };
}
