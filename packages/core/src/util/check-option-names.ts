import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { closestName } from './closest-name.js';

/**
 * Rejects option names a function does not know. Plain-JavaScript callers have no type checker,
 * and a misspelt option (`rerank({ top_n: 3 })`) would otherwise be silently ignored: the call
 * runs with the default and the caller never learns why. Only own enumerable names are checked;
 * a key whose value is `undefined` counts too (it is still a typo).
 *
 * @param options - the caller's options object (already known to be an object)
 * @param known - every name the function accepts
 * @param what - the call, for the message (`rerank()`, `createBm25Retriever()`)
 * @param path - the options' own path in the message (`options`, `settings`)
 * @throws InvalidArgumentError naming the unknown option and the closest valid one
 */
export function checkOptionNames(
  options: object,
  known: readonly string[],
  what: string,
  path?: string,
): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const suggestion = closestName(name, known);
    throw new InvalidArgumentError({
      argument: path === undefined ? name : `${path}.${name}`,
      message: `is not an option of ${what}${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}; its options are ${known.join(', ')}.`,
    });
  }
}
