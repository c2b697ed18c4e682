import type { RetrieveStageV1 } from '../../spec/v1/index.js';
import type { ConformanceDocument } from '../conformance-document.js';
import type { TestFunction } from '../test-function.js';
import type { RetrieveStageCapabilities } from './retrieve-capabilities.js';

/** What each retrieve behaviour file receives to register its checks. */
export type RetrieveSuiteContext = {
  test: TestFunction;
  /** Builds a fresh stage holding exactly the given corpus; called once per check. */
  factory: (corpus: ConformanceDocument[]) => RetrieveStageV1 | Promise<RetrieveStageV1>;
  capabilities: RetrieveStageCapabilities;
};
