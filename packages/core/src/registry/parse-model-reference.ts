import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** A parsed `provider:model` reference. */
export type ModelReference = {
  /** The provider's name, e.g. `cohere`, `local-onnx`. */
  provider: string;
  /** Everything after the first colon, e.g. `Xenova/ms-marco-MiniLM-L-6-v2`; absent for a bare provider. */
  modelId: string | undefined;
};

/** Provider names are npm-package-name friendly: lowercase letters, digits and inner dashes. */
const providerNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Parses a `provider:model` reference, splitting on the FIRST colon so that the model may
 * contain `/`, `:` and `.` (`local-onnx:./models/bge:v2`). A bare `provider` is allowed. Blanks
 * around the reference and around the colon are ignored.
 *
 * @param argument - what to call the reference in an error (`ref`, `TWOSTAGE_RERANKER`)
 * @throws InvalidArgumentError when the reference is blank, the provider name is not
 *   lowercase letters, digits and dashes, or the model after the colon is empty
 *
 * @example parseModelReference('cohere:rerank-multilingual-v3.0') // { provider: 'cohere', modelId: 'rerank-multilingual-v3.0' }
 */
export function parseModelReference(reference: unknown, argument = 'ref'): ModelReference {
  if (typeof reference !== 'string' || reference.trim() === '') {
    throw new InvalidArgumentError({
      argument,
      message: `expected a 'provider:model' string, got ${typeof reference === 'string' ? 'a blank string' : typeof reference}.`,
    });
  }
  const trimmed = reference.trim();
  const colon = trimmed.indexOf(':');
  // Blanks around the colon are typos (`cohere: rerank-v3.5`), never part of a name or a path.
  const provider = colon === -1 ? trimmed : trimmed.slice(0, colon).trimEnd();
  const modelId = colon === -1 ? undefined : trimmed.slice(colon + 1).trimStart();
  if (!providerNamePattern.test(provider)) {
    throw new InvalidArgumentError({
      argument,
      message: `'${trimmed}' is not a 'provider:model' reference: the provider '${provider}' must be lowercase letters, digits and dashes (e.g. 'cohere:rerank-v3.5').`,
    });
  }
  if (modelId === '') {
    throw new InvalidArgumentError({
      argument,
      message: `'${trimmed}' names no model after the colon; write '${provider}:<model>' or just '${provider}'.`,
    });
  }
  return { provider, modelId };
}
