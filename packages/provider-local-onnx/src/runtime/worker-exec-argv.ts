/**
 * The parent's Node options a worker may inherit: all but those that only make sense for the main
 * entry point. A worker gets `process.execArgv` by default, and `--input-type` (as in
 * `node --input-type=module -e …`) makes Node refuse to load the worker's file
 * (`ERR_INPUT_TYPE_NOT_ALLOWED`).
 *
 * @param parentExecArgv - usually `process.execArgv`
 */
export function workerExecArgv(parentExecArgv: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < parentExecArgv.length; index += 1) {
    const argument = parentExecArgv[index] as string;
    if (argument === '--input-type') {
      index += 1; // the value follows as its own argument
      continue;
    }
    if (!argument.startsWith('--input-type=')) result.push(argument);
  }
  return result;
}
