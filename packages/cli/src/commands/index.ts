import { registerCalibrateCommand } from './calibrate-command.js';
import { registerCompareCommand } from './compare-command.js';
import { registerEvalCommand } from './eval-command.js';
import { registerIndexCommand } from './index-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerPairsCommand } from './pairs-command.js';
import { registerQueryCommand } from './query-command.js';
import type { RegisterCommand } from './register-command.js';
import { registerServeCommand } from './serve-command.js';

export type { RegisterCommand } from './register-command.js';

/** Every subcommand of `twostage`, in the order `--help` lists them. */
export const commands: readonly RegisterCommand[] = [
  registerIndexCommand,
  registerQueryCommand,
  registerEvalCommand,
  registerCompareCommand,
  registerCalibrateCommand,
  registerPairsCommand,
  registerModelsCommand,
  registerServeCommand,
];
