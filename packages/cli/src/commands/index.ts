import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerCompareCommand } from './compare-command.js';
import { registerEvalCommand } from './eval-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerPairsCommand } from './pairs-command.js';
import { registerQueryCommand } from './query-command.js';

/** Builds one subcommand (`index`, `query`, ...) bound to the context's streams and env. */
export type RegisterCommand = (context: CliContext) => Command;

/** Every subcommand of `twostage`, in the order `--help` lists them. */
export const commands: readonly RegisterCommand[] = [
  registerQueryCommand,
  registerEvalCommand,
  registerCompareCommand,
  registerPairsCommand,
  registerModelsCommand,
];
