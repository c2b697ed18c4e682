import { AsyncLocalStorage } from 'node:async_hooks';
import type { HeadersV1 } from '@twostage/core';

/**
 * What one adapter call hands down to the fetch wrapper. The Pinecone client accepts neither an
 * `AbortSignal` nor per-call headers, so they travel beside it, in async-local storage, to the
 * only place every request passes through: the `fetchApi` the client is built with.
 */
export type CallContext = {
  /** Aborts the HTTP requests of this call. */
  abortSignal: AbortSignal | undefined;
  /** Extra headers for the requests of this call. */
  headers: HeadersV1 | undefined;
  /** The last response of this call (set by the fetch wrapper), to describe a malformed body. */
  lastResponse?: { url: string; method: string; status: number };
};

/** The storage the adapter calls and the fetch wrapper share. */
export const callContext = new AsyncLocalStorage<CallContext>();
