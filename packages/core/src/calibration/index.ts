export { applyCalibration } from './apply-calibration.js';
export { type CalibrateOptions, calibrate } from './calibrate.js';
export type { Calibration, CalibrationMethod } from './calibration.js';
export { brierScore, expectedCalibrationError } from './calibration-metrics.js';
export { parseCalibration } from './parse-calibration.js';
export {
  type SuggestedThreshold,
  type SuggestThresholdOptions,
  suggestThreshold,
} from './suggest-threshold.js';
export { withCalibration } from './with-calibration.js';
