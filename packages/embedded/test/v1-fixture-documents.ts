import type { EmbeddingModelV1 } from '@twostage/core';

/**
 * The documents of `fixtures/v1-hybrid`, an index saved by the release before the string
 * tables were encoded in pieces (format version 1): texts with multi-byte characters, a BOM,
 * an emoji, empty ones, and metadata whose strings hold JSON's structural characters.
 */
export const fixtureDocuments = Array.from({ length: 24 }, (_, index) => {
  const vietnamese = index % 2 === 1;
  const texts = [
    'Phí trả nợ trước hạn là 2% số tiền trả trước',
    'Early repayment fee: 2% of the amount repaid',
    '\uFEFFa text that starts with a byte-order mark',
    'Lãi suất thả nổi được điều chỉnh mỗi quý 🏦',
    '',
    'The card is blocked after three wrong PINs, then unblocked at a branch',
  ];
  const metadata: Record<string, string | number | boolean | string[]> = {
    position: index,
    tags: ['a,b', '[c]', '{"d": "e"}'],
    quoted: 'say "hi" \\ then leave',
  };
  if (index % 3 === 0) metadata.flag = true;
  return {
    id: `doc-${index}${vietnamese ? '-vi-đ' : ''}`,
    text: `${texts[index % texts.length]} #${index}`,
    metadata,
    namespace: vietnamese ? 'vi' : '',
    embedding: Float32Array.from({ length: 8 }, (_, dimension) =>
      Math.cos((index + 1) * (dimension + 1) * 0.37),
    ),
  };
});

/** The embedding model the fixture records (`fixture:v1`); it embeds a query as document 0. */
export const fixtureModel: EmbeddingModelV1 = {
  specificationVersion: 'v1',
  provider: 'fixture',
  modelId: 'v1',
  dimensions: 8,
  maxEmbeddingsPerCall: undefined,
  supportsParallelCalls: true,
  async doEmbed({ values }) {
    return {
      embeddings: values.map(() => (fixtureDocuments[0] as { embedding: Float32Array }).embedding),
    };
  },
};
