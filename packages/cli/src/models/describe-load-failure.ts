import { ApiCallError, ModelNotFoundError } from '@twostage/core';

/** Why a hub model could not be had, sorted by what the user can do about it. */
export type LoadFailure = {
  /** `unreachable`: no network or no hub; `offline`: offline mode is on; `other`: anything else. */
  kind: 'unreachable' | 'offline' | 'other';
  /** A few words on one line (`the hub could not be reached (getaddrinfo ENOTFOUND huggingface.co)`). */
  text: string;
};

/**
 * Why a hub model could not be had, in a few words on one line. The whole chain of causes is
 * for `--debug`; a notice shown above a result table stays one line.
 */
export function describeLoadFailure(error: unknown): LoadFailure {
  if (ModelNotFoundError.isInstance(error) && error.message.startsWith('Offline mode')) {
    return { kind: 'offline', text: 'offline mode is on (TWOSTAGE_OFFLINE / HF_HUB_OFFLINE)' };
  }
  // The fetch itself failed (no route, refused, no answer): the provider says `Downloading <file>
  // of '<id>' failed: <cause>`, and the cause holds the operating system's words.
  if (ApiCallError.isInstance(error) && /^Downloading .* failed: /.test(error.message)) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return { kind: 'unreachable', text: oneLine(`the hub could not be reached (${cause})`) };
  }
  return { kind: 'other', text: oneLine(error instanceof Error ? error.message : String(error)) };
}

/** Collapses whitespace (a multi-line message from a native module) and caps the length. */
export function oneLine(text: string, maximum = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maximum ? flat : `${flat.slice(0, maximum - 1)}…`;
}
