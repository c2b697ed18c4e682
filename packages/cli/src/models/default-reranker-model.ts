/**
 * The model `twostage` re-ranks with when nothing is configured: `cross-encoder/mmarco-mMiniLMv2-L12-H384-v1`,
 * a 12-layer multilingual MiniLM (XLM-R vocabulary) cross-encoder trained on mMARCO, MS MARCO
 * machine-translated into 13 languages besides English, Vietnamese among them (Apache-2.0).
 * `docs/cli.md` says why it was chosen and what was checked.
 *
 * The revision is pinned to a commit whose ONNX files are published on the hub, so every machine
 * downloads the same bytes (the hub announces their sha256 and the download checks it).
 */
export const defaultRerankerModel = {
  /** The hub repository. */
  modelId: 'cross-encoder/mmarco-mMiniLMv2-L12-H384-v1',
  /** The pinned commit of that repository. */
  revision: '1427fd652930e4ba29e8149678df786c240d8825',
  /**
   * The int8 (dynamically quantized) export for this CPU: sentence-transformers publishes one per
   * instruction set; `quint8_avx2` runs on any x86-64 CPU of the last decade, `qint8_arm64` on
   * Apple silicon and ARM servers. About 118.6 MB either way.
   */
  modelFile: defaultModelFileFor(process.arch),
} as const;

/** The int8 ONNX file of the default model for a CPU architecture (`process.arch`). */
export function defaultModelFileFor(architecture: string): string {
  return architecture === 'arm64' ? 'onnx/model_qint8_arm64.onnx' : 'onnx/model_quint8_avx2.onnx';
}
