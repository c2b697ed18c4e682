import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildEncoderModel,
  padTokenIdOf,
  type SyntheticEncoderSpec,
} from './build-encoder-model.js';
import { buildUnigramTokenizer, buildWordPieceTokenizer } from './build-synthetic-tokenizer.js';

/** What to write besides the weights: tokenizer limits, scoring and pooling configuration. */
export type SyntheticModelOptions = SyntheticEncoderSpec & {
  /** `tokenizer_config.json`'s `model_max_length`. */
  modelMaxLength: number;
  /** Writes `sentence_transformers.activation_fn` into `config.json` (e.g. `torch.nn.modules.activation.Sigmoid`). */
  activationFunction?: string;
  /** Bi-encoders: the sentence-transformers pooling mode. @default 'mean' */
  pooling?: 'mean' | 'cls';
  /** Bi-encoders: whether `modules.json` ends with a Normalize module. @default true */
  normalize?: boolean;
  /** Bi-encoders: sentence-transformers prompts (e5 style: `{ query: 'query: ', document: 'passage: ' }`). */
  prompts?: Record<string, string>;
  /** Also write `onnx/model_quantized.onnx`. @default true */
  quantized?: boolean;
};

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes a synthetic model directory in the Hugging Face / optimum layout: `config.json`,
 * `tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json`, `onnx/model.onnx`,
 * `onnx/model_quantized.onnx` and, for bi-encoders, the sentence-transformers files
 * (`modules.json`, `1_Pooling/config.json`, `config_sentence_transformers.json`).
 */
export async function writeSyntheticModel(
  directory: string,
  options: SyntheticModelOptions,
): Promise<void> {
  const isBert = options.architecture === 'bert';
  const padId = padTokenIdOf(options.architecture);
  await mkdir(join(directory, 'onnx'), { recursive: true });
  const labels = Array.from({ length: options.numLabels }, (_, index) => index);
  const isClassifier = options.task === 'sequence-classification';
  const config: Record<string, unknown> = {
    architectures: [
      `${isBert ? 'Bert' : 'XLMRoberta'}${isClassifier ? 'ForSequenceClassification' : 'Model'}`,
    ],
    model_type: isBert ? 'bert' : 'xlm-roberta',
    hidden_size: options.hiddenSize,
    num_hidden_layers: options.numLayers,
    num_attention_heads: options.numHeads,
    intermediate_size: options.intermediateSize,
    hidden_act: 'gelu',
    max_position_embeddings: options.maxPositionEmbeddings,
    type_vocab_size: isBert ? 2 : 1,
    vocab_size: options.vocabSize,
    layer_norm_eps: isBert ? 1e-12 : 1e-5,
    pad_token_id: padId,
    ...(isBert ? {} : { bos_token_id: 0, eos_token_id: 2 }),
  };
  if (isClassifier) {
    config.id2label = Object.fromEntries(labels.map((label) => [String(label), `LABEL_${label}`]));
    config.label2id = Object.fromEntries(labels.map((label) => [`LABEL_${label}`, label]));
  }
  if (options.activationFunction !== undefined) {
    config.sentence_transformers = { activation_fn: options.activationFunction };
  }
  await writeJson(join(directory, 'config.json'), config);
  const tokenizer = isBert
    ? buildWordPieceTokenizer(options.vocabSize, options.seed)
    : buildUnigramTokenizer(options.vocabSize, options.seed);
  await writeJson(join(directory, 'tokenizer.json'), tokenizer);
  const specials = isBert
    ? {
        cls_token: '[CLS]',
        sep_token: '[SEP]',
        pad_token: '[PAD]',
        unk_token: '[UNK]',
        mask_token: '[MASK]',
      }
    : {
        bos_token: '<s>',
        cls_token: '<s>',
        eos_token: '</s>',
        sep_token: '</s>',
        pad_token: '<pad>',
        unk_token: '<unk>',
        mask_token: '<mask>',
      };
  await writeJson(join(directory, 'tokenizer_config.json'), {
    ...specials,
    model_max_length: options.modelMaxLength,
    tokenizer_class: isBert ? 'BertTokenizer' : 'XLMRobertaTokenizer',
    clean_up_tokenization_spaces: true,
    ...(isBert ? { do_lower_case: true } : {}),
  });
  await writeJson(join(directory, 'special_tokens_map.json'), specials);
  if (!isClassifier) {
    const pooling = options.pooling ?? 'mean';
    const modules = [
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    ];
    if (options.normalize ?? true) {
      modules.push({
        idx: 2,
        name: '2',
        path: '2_Normalize',
        type: 'sentence_transformers.models.Normalize',
      });
    }
    await writeJson(join(directory, 'modules.json'), modules);
    await mkdir(join(directory, '1_Pooling'), { recursive: true });
    await writeJson(join(directory, '1_Pooling', 'config.json'), {
      word_embedding_dimension: options.hiddenSize,
      pooling_mode_cls_token: pooling === 'cls',
      pooling_mode_mean_tokens: pooling === 'mean',
      pooling_mode_max_tokens: false,
      pooling_mode_mean_sqrt_len_tokens: false,
    });
    await writeJson(join(directory, 'config_sentence_transformers.json'), {
      prompts: options.prompts ?? {},
      default_prompt_name: null,
      similarity_fn_name: 'cosine',
    });
  }
  await writeFile(join(directory, 'onnx', 'model.onnx'), buildEncoderModel(options, false));
  if (options.quantized ?? true) {
    await writeFile(
      join(directory, 'onnx', 'model_quantized.onnx'),
      buildEncoderModel(options, true),
    );
  }
}
