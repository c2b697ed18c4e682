import { describe, expect, test } from 'vitest';
import {
  activationFromConfig,
  maxSequenceLength,
  poolingFromConfig,
  prefixesFromConfig,
} from '../src/model/model-config.js';

describe('activationFromConfig', () => {
  test('reads sentence_transformers.activation_fn (v4+)', () => {
    expect(
      activationFromConfig({
        sentence_transformers: { activation_fn: 'torch.nn.modules.activation.Sigmoid' },
      }),
    ).toEqual({ activation: 'sigmoid' });
  });

  test('reads the legacy sbert_ce_default_activation_function (ms-marco models declare Identity)', () => {
    expect(
      activationFromConfig({
        sbert_ce_default_activation_function: 'torch.nn.modules.linear.Identity',
      }),
    ).toEqual({ activation: 'identity' });
  });

  test('defaults to sigmoid for one logit and softmax for two', () => {
    expect(activationFromConfig({ id2label: { 0: 'LABEL_0' } })).toEqual({ activation: 'sigmoid' });
    expect(activationFromConfig({ id2label: { 0: 'no', 1: 'yes' } })).toEqual({
      activation: 'softmax',
    });
    expect(activationFromConfig({ num_labels: 2 })).toEqual({ activation: 'softmax' });
  });

  test('reports an activation it does not know and falls back to the default', () => {
    expect(
      activationFromConfig({ sentence_transformers: { activation_fn: 'torch.nn.Tanh' } }),
    ).toEqual({
      activation: 'sigmoid',
      unknownName: 'torch.nn.Tanh',
    });
  });
});

describe('maxSequenceLength', () => {
  test('BERT: min(model_max_length, max_position_embeddings)', () => {
    expect(
      maxSequenceLength(
        { model_type: 'bert', max_position_embeddings: 512 },
        { model_max_length: 512 },
      ),
    ).toBe(512);
    expect(
      maxSequenceLength(
        { model_type: 'bert', max_position_embeddings: 512 },
        { model_max_length: 256 },
      ),
    ).toBe(256);
  });

  test('XLM-R: positions start after the padding index, so 514 positions give 512 tokens', () => {
    expect(
      maxSequenceLength(
        { model_type: 'xlm-roberta', max_position_embeddings: 514, pad_token_id: 1 },
        { model_max_length: 1e30 },
      ),
    ).toBe(512);
    // bge-reranker-v2-m3: 8194 positions, tokenizer limit 8192.
    expect(
      maxSequenceLength(
        { model_type: 'xlm-roberta', max_position_embeddings: 8194, pad_token_id: 1 },
        { model_max_length: 8192 },
      ),
    ).toBe(8192);
  });

  test('an explicit limit is capped by the model', () => {
    expect(maxSequenceLength({ model_type: 'bert', max_position_embeddings: 512 }, {}, 1024)).toBe(
      512,
    );
    expect(maxSequenceLength({ model_type: 'bert', max_position_embeddings: 512 }, {}, 128)).toBe(
      128,
    );
  });
});

describe('pooling and prefixes', () => {
  test('pooling follows 1_Pooling/config.json, mean by default', () => {
    expect(
      poolingFromConfig({ pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }),
    ).toBe('cls');
    expect(poolingFromConfig({ pooling_mode_mean_tokens: true })).toBe('mean');
    expect(poolingFromConfig(undefined)).toBe('mean');
  });

  test('prefixes come from sentence-transformers prompts, else e5 naming', () => {
    expect(prefixesFromConfig({ prompts: { query: 'q: ', passage: 'p: ' } }, 'x/y')).toEqual({
      query: 'q: ',
      document: 'p: ',
    });
    expect(prefixesFromConfig(undefined, 'intfloat/multilingual-e5-small')).toEqual({
      query: 'query: ',
      document: 'passage: ',
    });
    expect(prefixesFromConfig({ prompts: {} }, 'Xenova/all-MiniLM-L6-v2')).toEqual({
      query: '',
      document: '',
    });
  });
});
