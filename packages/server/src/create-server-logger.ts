import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * The server's logger: JSON lines (pino), one per request, to `destination` (stdout by default).
 * Pass it as `logger` to write the lines elsewhere (the CLI passes its own stdout).
 */
export function createServerLogger(destination?: DestinationStream): Logger {
  const options = { base: { service: 'twostage-server' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
