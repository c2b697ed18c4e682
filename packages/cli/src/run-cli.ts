import { TwostageError } from '@twostage/core';
import { Command, CommanderError } from 'commander';
import type { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';
import { commands } from './commands/index.js';
import { formatFailure, secretsFromEnv } from './format-failure.js';
import { registerBundledProviders } from './register-bundled-providers.js';

/** The CLI's version, printed by `twostage --version`. */
export const VERSION = '0.1.0';

/**
 * Runs the `twostage` program on `argv` (without the node and script paths) and returns the exit
 * code: 0 on success, 1 for a failure, 2 for a usage error. Every failure becomes one line and a
 * hint on stderr; `--debug` adds the stack and causes.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const debug = argv.includes('--debug');
  registerBundledProviders();
  const program = createProgram(context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with these codes; commander already printed what it had to.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    context.stderr.write(formatFailure(error, debug, secretsFromEnv(context.env)));
    if (error instanceof CliError) return error.exitCode;
    return 1;
  }
}

/** The commander program with every command registered, writing to the context's streams. */
export function createProgram(context: CliContext): Command {
  const program = new Command('twostage')
    .description(
      'Two-stage retrieval for RAG: a fast first stage casts a wide net, a cross-encoder re-ranks it.',
    )
    .version(VERSION)
    .option('--debug', 'print stack traces and causes of failures')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
  for (const register of commands) {
    const command = register(context);
    // Every subcommand reports usage errors the same way as the program (exit code 2).
    command.exitOverride().showHelpAfterError('(add --help for usage)');
    command.configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
    program.addCommand(command);
  }
  return program;
}

/** Whether `error` is one of ours (typed, with a message meant for the user). */
export function isKnownError(error: unknown): boolean {
  return error instanceof CliError || TwostageError.isInstance(error);
}
