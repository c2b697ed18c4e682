import { type RetrieveStageV1, resolveRetriever } from '@twostage/core';
import type { CliContext } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import { openIndex } from '../open-index.js';

/** Stage 1 of a command, with what to call it in output. */
export type StageOne = {
  /** The retriever. */
  retriever: RetrieveStageV1;
  /** `provider:modelId`, or the index directory. */
  label: string;
  /** The stored document with this id, when the retriever is an embedded index (`--index`). */
  get?: (id: string) => { id: string; text: string } | undefined;
};

/**
 * Stage 1 from `--index <dir>` (an index `twostage index` wrote), else `--retriever <ref>`, else
 * `TWOSTAGE_RETRIEVER`. Naming both flags is a usage error; so is naming none.
 *
 * @throws CliError (usage) when both or neither are given; the registry's errors for a bad ref
 */
export async function resolveStageOne(
  flags: { index?: string | undefined; retriever?: string | undefined },
  command: string,
  context: CliContext,
): Promise<StageOne> {
  if (flags.index !== undefined && flags.retriever !== undefined) {
    throw usageError('pass either --index <dir> or --retriever <ref>, not both.', command);
  }
  if (flags.index !== undefined) {
    const index = await openIndex(flags.index, context);
    return {
      retriever: index,
      label: `${index.provider} index ${flags.index}`,
      get: (id) => index.get(id),
    };
  }
  const ref = flags.retriever ?? nonBlank(context.env.TWOSTAGE_RETRIEVER);
  if (ref === undefined) {
    throw usageError(
      'no stage 1: pass --index <dir> (built by twostage index), --retriever <ref>, or set TWOSTAGE_RETRIEVER.',
      command,
    );
  }
  const retriever = await resolveRetriever(ref, { cwd: context.cwd });
  return { retriever, label: `${retriever.provider}:${retriever.modelId}` };
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
