/**
 * What the runtime needs to know about a model, read from its `config.json`,
 * `tokenizer_config.json` and sentence-transformers files. Pure functions over parsed JSON, so
 * they run the same on the main thread and in the inference worker.
 */

/** How raw logits become a score. */
export type Activation = 'sigmoid' | 'softmax' | 'identity';

/** How token vectors become one sentence vector. */
export type Pooling = 'mean' | 'cls';

/** A parsed JSON object. */
export type JsonRecord = Record<string, unknown>;

const numberOrUndefined = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Number of labels of a sequence-classification config (`id2label`, else `num_labels`, else 1). */
export function numLabelsOf(config: JsonRecord): number {
  const id2label = config.id2label;
  if (id2label !== null && typeof id2label === 'object') {
    const count = Object.keys(id2label).length;
    if (count > 0) return count;
  }
  return numberOrUndefined(config.num_labels) ?? 1;
}

/**
 * Maps a sentence-transformers activation name (`torch.nn.modules.activation.Sigmoid`,
 * `torch.nn.Identity`, ...) to an {@link Activation}, or undefined when it is not one of them.
 */
export function parseActivationName(name: string): Activation | undefined {
  const last = name.split('.').pop()?.toLowerCase();
  if (last === 'sigmoid') return 'sigmoid';
  if (last === 'identity') return 'identity';
  if (last === 'softmax') return 'softmax';
  return undefined;
}

/**
 * The activation a model's config asks for: `sentence_transformers.activation_fn` (v4+), then the
 * legacy `sbert_ce_default_activation_function`; otherwise sigmoid for one logit and softmax for
 * two or more. ms-marco cross-encoders declare Identity, so they score raw logits (as
 * sentence-transformers does).
 */
export function activationFromConfig(config: JsonRecord): {
  activation: Activation;
  /** The configured name when it was not one we know; the fallback is then the default. */
  unknownName?: string;
} {
  const sentenceTransformers = config.sentence_transformers;
  const candidates = [
    sentenceTransformers !== null && typeof sentenceTransformers === 'object'
      ? (sentenceTransformers as JsonRecord).activation_fn
      : undefined,
    config.sbert_ce_default_activation_function,
  ];
  const fallback: Activation = numLabelsOf(config) === 1 ? 'sigmoid' : 'softmax';
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const parsed = parseActivationName(candidate);
    return parsed === undefined
      ? { activation: fallback, unknownName: candidate }
      : { activation: parsed };
  }
  return { activation: fallback };
}

/** Model types whose position ids start at `pad_token_id + 1` (RoBERTa's convention). */
const offsetPositionModelTypes = new Set(['roberta', 'xlm-roberta', 'camembert', 'xlm-roberta-xl']);

/** tokenizer_config.json uses a huge sentinel (1e30) for "no limit". */
const noLimit = 1e29;

/**
 * The longest token sequence the model accepts: `min(model_max_length, max_position_embeddings −
 * offset)`, where offset is `pad_token_id + 1` for RoBERTa-family models (their positions start
 * after the padding index) and 0 otherwise. An explicit `override` is capped by the same limit.
 */
export function maxSequenceLength(
  config: JsonRecord,
  tokenizerConfig: JsonRecord,
  override?: number,
): number {
  const positions = numberOrUndefined(config.max_position_embeddings);
  const modelType = typeof config.model_type === 'string' ? config.model_type : '';
  const offset = offsetPositionModelTypes.has(modelType)
    ? (numberOrUndefined(config.pad_token_id) ?? 1) + 1
    : 0;
  const positionLimit = positions === undefined ? Number.POSITIVE_INFINITY : positions - offset;
  const declared = numberOrUndefined(tokenizerConfig.model_max_length);
  const tokenizerLimit =
    declared === undefined || declared > noLimit ? Number.POSITIVE_INFINITY : declared;
  const limit = Math.min(positionLimit, tokenizerLimit, override ?? Number.POSITIVE_INFINITY);
  return Number.isFinite(limit) ? limit : 512;
}

/** The pooling a sentence-transformers `1_Pooling/config.json` declares (mean by default). */
export function poolingFromConfig(poolingConfig: JsonRecord | undefined): Pooling {
  if (poolingConfig?.pooling_mode_cls_token === true) return 'cls';
  return 'mean';
}

/** Query / document prefixes: sentence-transformers `prompts`, else e5's convention by name. */
export function prefixesFromConfig(
  sentenceTransformersConfig: JsonRecord | undefined,
  modelId: string,
): { query: string; document: string } {
  const prompts = sentenceTransformersConfig?.prompts;
  if (prompts !== null && typeof prompts === 'object') {
    const record = prompts as JsonRecord;
    const pick = (...keys: string[]) => {
      for (const key of keys) {
        const value = record[key];
        if (typeof value === 'string') return value;
      }
      return undefined;
    };
    const query = pick('query', 'search_query');
    const document = pick('document', 'passage', 'search_document', 'doc');
    if (query !== undefined || document !== undefined) {
      return { query: query ?? '', document: document ?? '' };
    }
  }
  // e5 models are trained with these prefixes but ship no prompts in their config.
  if (/(^|[/_-])e5([_-]|$)/i.test(modelId)) return { query: 'query: ', document: 'passage: ' };
  return { query: '', document: '' };
}
