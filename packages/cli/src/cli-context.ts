/**
 * What a command may touch of the outside world, passed in so tests can run the program in
 * process with their own streams, environment and working directory.
 */
export type CliContext = {
  /** The directory relative paths are resolved against. */
  cwd: string;
  /** The environment (TWOSTAGE_RERANKER, COHERE_API_KEY, ...); read only through this. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where results go. */
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Where progress, warnings and errors go. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Fires on Ctrl-C (SIGINT) or SIGTERM; long commands stop cleanly and leave no half-written state. */
  signal: AbortSignal;
};

/** Writes one line to a stream. */
export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
