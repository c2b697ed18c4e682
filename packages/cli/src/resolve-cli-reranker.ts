import { type RerankStageV1, resolveReranker } from '@twostage/core';
import type { CliContext } from './cli-context.js';

/**
 * The reranker a command runs when neither `--reranker` nor `TWOSTAGE_RERANKER` names one: a
 * real multilingual cross-encoder, run in process by the local ONNX provider and downloaded
 * once into the model cache. See `docs/cli.md` for the choice.
 */
export const defaultRerankerRef = 'local-onnx:cross-encoder/mmarco-mMiniLMv2-L12-H384-v1';

/** What a command re-ranks with, or why it cannot. */
export type CliReranker =
  | {
      /** The stage, ready to use. */
      reranker: RerankStageV1;
      /** `provider:modelId`, as shown in tables and reports. */
      label: string;
      /** Whether this is core's term-overlap stand-in (`mock`), labelled as such wherever shown. */
      standIn: boolean;
    }
  | {
      reranker: undefined;
      /** The reference that could not be had. */
      label: string;
      /** One line: why it is unavailable. */
      reason: string;
      /** One line: how to fix it. */
      hint: string;
    };

/**
 * Resolves the reranker from `--reranker`, else `TWOSTAGE_RERANKER`, else the default model.
 * An explicitly named reranker that fails to resolve is an error (the user asked for it); the
 * default one that cannot be had (no network, no cached copy) comes back as unavailable, so the
 * command can show stage-1 results marked "not re-ranked" instead of crashing.
 */
export async function resolveCliReranker(
  flag: string | undefined,
  context: CliContext,
): Promise<CliReranker> {
  const explicit = flag ?? nonEmpty(context.env.TWOSTAGE_RERANKER);
  const ref = explicit ?? defaultRerankerRef;
  if (explicit !== undefined) {
    const reranker = await resolveReranker(ref, { cwd: context.cwd });
    return { reranker, label: labelOf(reranker), standIn: reranker.provider === 'mock' };
  }
  try {
    const reranker = await resolveReranker(ref, { cwd: context.cwd });
    return { reranker, label: labelOf(reranker), standIn: false };
  } catch (error) {
    return {
      reranker: undefined,
      label: ref,
      reason: `the default reranker ${ref} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      hint: `run 'twostage models pull ${ref.slice('local-onnx:'.length)}' once with network access, or pass --reranker local-onnx:<model dir>, or set TWOSTAGE_RERANKER=cohere:rerank-multilingual-v3.0 (with COHERE_API_KEY)`,
    };
  }
}

/** `provider:modelId` of a stage, with the stand-in marked. */
export function labelOf(reranker: RerankStageV1): string {
  const label = `${reranker.provider}:${reranker.modelId}`;
  return reranker.provider === 'mock' ? `${label} (stand-in: term overlap, not a model)` : label;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
