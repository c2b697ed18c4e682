import type { CliContext } from '../cli-context.js';
import { type CliReranker, resolveCliReranker } from '../resolve-cli-reranker.js';

/** The reranker a command runs, and whether the user named it (flag or `TWOSTAGE_RERANKER`). */
export type ChosenReranker = CliReranker & {
  /** Named explicitly: its failures are errors. Otherwise the default model, which may degrade. */
  explicit: boolean;
};

/**
 * Resolves `--reranker`, else `TWOSTAGE_RERANKER`, else the default model (see
 * `resolveCliReranker`). A reranker the user named that fails is an error; the default one that
 * cannot be had comes back unavailable.
 */
export async function chooseReranker(
  flag: string | undefined,
  context: CliContext,
): Promise<ChosenReranker> {
  const env = context.env.TWOSTAGE_RERANKER;
  const explicit = flag !== undefined || (env !== undefined && env.trim() !== '');
  return { ...(await resolveCliReranker(flag, context)), explicit };
}
