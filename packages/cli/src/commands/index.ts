import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/** Builds one subcommand (`index`, `query`, ...) bound to the context's streams and env. */
export type RegisterCommand = (context: CliContext) => Command;

/** Every subcommand of `twostage`, in the order `--help` lists them. */
export const commands: readonly RegisterCommand[] = [];
