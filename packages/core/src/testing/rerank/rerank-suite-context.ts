import type { RerankStageV1 } from '../../spec/v1/index.js';
import type { TestFunction } from '../test-function.js';
import type { RerankStageCapabilities } from './rerank-capabilities.js';

/** What each rerank behaviour file receives to register its checks. */
export type RerankSuiteContext = {
  test: TestFunction;
  /** Builds a fresh stage for each check. */
  factory: () => RerankStageV1 | Promise<RerankStageV1>;
  capabilities: RerankStageCapabilities;
};
