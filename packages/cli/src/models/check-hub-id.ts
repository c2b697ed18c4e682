import { hubModelDirectory } from '@twostage/provider-local-onnx';
import { usageError } from '../cli-error.js';

/**
 * Where `hubId` at `revision` is (or would be) in the cache, after checking that both are
 * plain names (`owner/name`, a branch, tag or commit), so neither can point outside the cache.
 *
 * @throws CliError (usage, exit 2) naming the bad id or revision
 */
export function checkedModelDirectory(
  cacheDirectory: string,
  hubId: string,
  revision: string,
  command: string,
): string {
  try {
    return hubModelDirectory(cacheDirectory, hubId, revision);
  } catch {
    if (
      !/^[\w.-]+\/[\w.-]+$/.test(hubId) ||
      hubId.split('/').some((part) => /^\.\.?$/.test(part))
    ) {
      throw usageError(
        `'${hubId}' is not a hub id: expected owner/name, as on huggingface.co (e.g. cross-encoder/mmarco-mMiniLMv2-L12-H384-v1).`,
        command,
      );
    }
    throw usageError(
      `'${revision}' is not a revision name: expected a branch, a tag or a commit hash.`,
      command,
    );
  }
}
