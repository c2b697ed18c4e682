import type { EmbeddingModelV1 } from '../../spec/v1/index.js';
import type { TestFunction } from '../test-function.js';
import type { EmbeddingModelCapabilities } from './embedding-capabilities.js';

/** What each embedding behaviour file receives to register its checks. */
export type EmbeddingSuiteContext = {
  test: TestFunction;
  /** Builds a fresh model for each check. */
  factory: () => EmbeddingModelV1 | Promise<EmbeddingModelV1>;
  capabilities: EmbeddingModelCapabilities;
};
