/** What the emulator sends back: a status, a JSON body (none when undefined), extra headers. */
export type Answer = {
  status: number;
  body?: unknown;
  headers?: Record<string, string> | undefined;
};

/** What the emulator does instead of answering one rerank request normally. */
export type EngineFault =
  /** Answer with this status, body and headers. */
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Answer normally after `ms` milliseconds, unless the client has gone by then. */
  | { type: 'delay'; ms: number }
  /** Destroy the connection once the request has arrived. */
  | { type: 'reset' }
  /** Answer 200 with this text (default: a cut-off JSON body). */
  | { type: 'malformed-json'; body?: string };

/** One request the emulator received. */
export type RecordedRequest = {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON body (the text when it was not JSON). */
  body: unknown;
  status?: number;
};
