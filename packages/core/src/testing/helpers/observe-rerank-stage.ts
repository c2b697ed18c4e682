import type { RerankStageV1, RerankStageV1CallOptions } from '../../spec/v1/index.js';

/** What an observed stage saw: one entry per `doRerank` call, in call order. */
export type ObservedRerankCalls = { documentCount: number }[];

/**
 * Wraps a stage so that its `doRerank` calls are counted (for checks on what core's `rerank()`
 * sends it), delegating everything else unchanged.
 */
export function observeRerankStage(stage: RerankStageV1): {
  stage: RerankStageV1;
  calls: ObservedRerankCalls;
} {
  const calls: ObservedRerankCalls = [];
  const observed: RerankStageV1 = {
    specificationVersion: stage.specificationVersion,
    provider: stage.provider,
    modelId: stage.modelId,
    maxDocumentsPerCall: stage.maxDocumentsPerCall,
    scoreKind: stage.scoreKind,
    doRerank(options: RerankStageV1CallOptions) {
      calls.push({ documentCount: options.documents.values.length });
      return stage.doRerank(options);
    },
  };
  return { stage: observed, calls };
}
