#!/usr/bin/env node
import { runCli } from './run-cli.js';

// Ctrl-C / SIGTERM abort the running command through its context's signal: indexing stops
// before it replaces the previous index, downloads stop and keep no partial file. A second
// Ctrl-C exits at once.
const controller = new AbortController();
let interrupted = false;
const onSignal = (name: NodeJS.Signals) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort(new Error(`interrupted (${name})`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = interrupted && exitCode === 0 ? 130 : exitCode;
