/**
 * `@twostage/cli`: the `twostage` command line, also callable in process (`runCli`) for tests
 * and scripts.
 * @packageDocumentation
 */
export type { CliContext } from './cli-context.js';
export { CliError } from './cli-error.js';
export { createProgram, runCli, VERSION } from './run-cli.js';
