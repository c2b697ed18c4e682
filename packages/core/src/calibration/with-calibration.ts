import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { wrapRerankStage } from '../middleware/wrap-rerank-stage.js';
import type { RerankStageV1 } from '../spec/v1/rerank-stage-v1.js';
import { applyCalibration } from './apply-calibration.js';
import type { Calibration } from './calibration.js';
import { parseCalibration } from './parse-calibration.js';

/**
 * A rerank stage whose scores are `calibration`'s probabilities of relevance (`scoreKind:
 * 'probability'`), so one `minScore` carries across models. The order is kept: a calibration
 * never decreases. Refuses a stage of another provider or model than the one fitted.
 *
 * @example
 * const reranker = withCalibration(localOnnx.reranker('./models/mmarco'), parseCalibration(json));
 * @throws InvalidArgumentError for a malformed calibration or a stage it was not fitted on
 */
export function withCalibration(stage: RerankStageV1, calibration: Calibration): RerankStageV1 {
  const checked = parseCalibration(calibration);
  if (stage?.provider !== checked.provider || stage.modelId !== checked.modelId) {
    throw new InvalidArgumentError({
      argument: 'calibration',
      message: `was fitted on '${checked.provider}:${checked.modelId}', not '${String(stage?.provider)}:${String(stage?.modelId)}'; scores of another model mean something else — fit one for it with calibrate().`,
    });
  }
  const wrapped = wrapRerankStage(stage, {
    async wrapCall({ doCall }) {
      const result = await doCall();
      return {
        ...result,
        ranking: result.ranking.map((item) => ({
          ...item,
          score: applyCalibration(checked, item.score),
        })),
      };
    },
  });
  return { ...wrapped, scoreKind: 'probability' };
}
