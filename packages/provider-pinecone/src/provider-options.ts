import type { ProviderOptionsV1 } from '@twostage/core';

/** The options a caller may pass under `providerOptions.pinecone`. */
export type PineconeProviderOptions = {
  /** Extra model parameters for `rerank` / `embed` (e.g. `{ truncate: 'NONE' }`). */
  parameters?: Record<string, string>;
};

/** Reads `providerOptions.pinecone`, ignoring other providers' options. */
export function readProviderOptions(
  providerOptions: ProviderOptionsV1 | undefined,
): PineconeProviderOptions {
  const options = providerOptions?.pinecone;
  if (options === undefined || options === null || typeof options !== 'object') return {};
  const result: PineconeProviderOptions = {};
  const { parameters } = options as { parameters?: unknown };
  if (parameters !== null && typeof parameters === 'object') {
    result.parameters = Object.fromEntries(
      Object.entries(parameters).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  }
  return result;
}
