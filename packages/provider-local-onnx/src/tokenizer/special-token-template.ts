/**
 * Where a tokenizer puts its special tokens around one or two sequences, read from the
 * `post_processor` of `tokenizer.json` (TemplateProcessing, BertProcessing, RobertaProcessing,
 * possibly inside a Sequence). Knowing the template lets us truncate the bare sequences first and
 * add the specials after, so the final separator is always kept.
 *
 * @see https://huggingface.co/docs/tokenizers/api/post-processors
 */

/** One element of a template: special token ids, or the first (A) or second (B) sequence. */
export type TemplatePiece =
  | { kind: 'special'; ids: number[]; typeId: number }
  | { kind: 'sequence'; sequence: 'A' | 'B'; typeId: number };

/** The single-sequence and pair templates. */
export type SpecialTokenTemplate = { single: TemplatePiece[]; pair: TemplatePiece[] };

type Json = Record<string, unknown>;

function fromTemplateProcessing(processor: Json): SpecialTokenTemplate {
  const specialTokens = (processor.special_tokens ?? {}) as Record<string, { ids?: number[] }>;
  const parse = (template: unknown): TemplatePiece[] =>
    (Array.isArray(template) ? template : []).map((entry: Json) => {
      if ('SpecialToken' in entry) {
        const special = entry.SpecialToken as { id: string; type_id: number };
        const ids = specialTokens[special.id]?.ids;
        if (ids === undefined) throw new Error(`special token '${special.id}' has no ids`);
        return { kind: 'special', ids, typeId: special.type_id };
      }
      const sequence = entry.Sequence as { id: 'A' | 'B'; type_id: number };
      return { kind: 'sequence', sequence: sequence.id, typeId: sequence.type_id };
    });
  return { single: parse(processor.single), pair: parse(processor.pair) };
}

function fromClsSep(processor: Json, roberta: boolean): SpecialTokenTemplate {
  const cls = (processor.cls as [string, number])[1];
  const sep = (processor.sep as [string, number])[1];
  const single: TemplatePiece[] = [
    { kind: 'special', ids: [cls], typeId: 0 },
    { kind: 'sequence', sequence: 'A', typeId: 0 },
    { kind: 'special', ids: [sep], typeId: 0 },
  ];
  // RoBERTa: <s> A </s></s> B </s>, all type 0 (the Rust crate's RobertaProcessing; RoBERTa
  // models have one token type). BERT: [CLS] A [SEP] B [SEP], the second part type 1.
  const pair: TemplatePiece[] = roberta
    ? [
        ...single,
        { kind: 'special', ids: [sep], typeId: 0 },
        { kind: 'sequence', sequence: 'B', typeId: 0 },
        { kind: 'special', ids: [sep], typeId: 0 },
      ]
    : [
        ...single,
        { kind: 'sequence', sequence: 'B', typeId: 1 },
        { kind: 'special', ids: [sep], typeId: 1 },
      ];
  return { single, pair };
}

/**
 * Reads the template from a parsed `tokenizer.json`. Returns undefined when the tokenizer has no
 * post-processor we understand (the caller then reports a clear error).
 */
export function specialTokenTemplateOf(tokenizerJson: Json): SpecialTokenTemplate | undefined {
  const find = (processor: unknown): SpecialTokenTemplate | undefined => {
    if (processor === null || typeof processor !== 'object') return undefined;
    const record = processor as Json;
    switch (record.type) {
      case 'TemplateProcessing':
        return fromTemplateProcessing(record);
      case 'BertProcessing':
        return fromClsSep(record, false);
      case 'RobertaProcessing':
        return fromClsSep(record, true);
      case 'Sequence':
        for (const inner of (record.processors as unknown[]) ?? []) {
          const found = find(inner);
          if (found !== undefined) return found;
        }
        return undefined;
      default:
        return undefined;
    }
  };
  return find(tokenizerJson.post_processor);
}

/** How many special tokens a template adds. */
export function specialTokenCount(template: readonly TemplatePiece[]): number {
  let count = 0;
  for (const piece of template) if (piece.kind === 'special') count += piece.ids.length;
  return count;
}
