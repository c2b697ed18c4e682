import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalOnnx, type LocalOnnxRerankStage } from '@twostage/provider-local-onnx';
import { tinyCrossEncoder, writeSyntheticModel } from '@twostage/provider-local-onnx/testing';

/** A synthetic BERT cross-encoder (seeded random weights) in a temporary directory. */
export type SyntheticReranker = {
  stage: LocalOnnxRerankStage;
  directory: string;
  dispose(): Promise<void>;
};

/**
 * Writes a small synthetic BERT cross-encoder (fp32, 128 tokens) and loads it with the local ONNX
 * provider, so the server is tested on a real ONNX model without a hub.
 */
export async function createSyntheticReranker(
  options: { worker?: boolean } = {},
): Promise<SyntheticReranker> {
  const directory = await mkdtemp(join(tmpdir(), 'twostage-server-model-'));
  await writeSyntheticModel(directory, tinyCrossEncoder());
  const stage = createLocalOnnx().reranker(directory, { worker: options.worker ?? true });
  return {
    stage,
    directory,
    async dispose() {
      await stage.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
