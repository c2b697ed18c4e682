import { InvalidArgumentError } from '@twostage/core';

/**
 * Checks that an index directory argument is a non-blank string: `save('')` would otherwise
 * write into the working directory, and `load(undefined)` fail inside `path.join`.
 *
 * @throws InvalidArgumentError naming `directory`
 */
export function checkIndexDirectory(directory: unknown): asserts directory is string {
  if (typeof directory !== 'string' || directory.trim() === '') {
    throw new InvalidArgumentError({
      argument: 'directory',
      message: `must be a non-empty path, got ${typeof directory === 'string' ? `'${directory}'` : String(directory)}.`,
    });
  }
}
