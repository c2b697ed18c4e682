import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/**
 * Builds one subcommand (`index`, `query`, ...) bound to the context's streams and env. In its
 * own file so a command can name the type without importing the list of commands, which imports
 * every command (a cycle).
 */
export type RegisterCommand = (context: CliContext) => Command;
