import { dirname } from 'node:path';
import {
  AutoModel,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  Tensor,
} from '@huggingface/transformers';

/**
 * transformers.js called the usual way (one padded call, fp32 unless asked), as the independent
 * reference for parity tests and the benchmark baseline. Loads only local directories.
 */
export async function loadTransformersReference(directory: string, dtype: 'fp32' | 'q8' = 'fp32') {
  env.localModelPath = `${dirname(directory)}/`;
  env.allowRemoteModels = false;
  const name = directory.slice(dirname(directory).length + 1);
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  return {
    /** Raw logits, `pairs × labels`, from one padded call. */
    async logits(query: string, documents: readonly string[]): Promise<Float32Array> {
      const model = await AutoModelForSequenceClassification.from_pretrained(name, {
        dtype,
        device: 'cpu',
      });
      const inputs = tokenizer(
        documents.map(() => query),
        { text_pair: [...documents], padding: true, truncation: true },
      );
      const output = await model(inputs);
      await model.dispose();
      return output.logits.data as Float32Array;
    },
    /** Raw logits of one sequence given as token ids (to check our truncation's output). */
    async logitsForIds(ids: readonly number[], typeIds: readonly number[]): Promise<Float32Array> {
      const model = await AutoModelForSequenceClassification.from_pretrained(name, {
        dtype,
        device: 'cpu',
      });
      const tensor = (values: readonly number[]) =>
        new Tensor('int64', BigInt64Array.from(values.map((value) => BigInt(value))), [
          1,
          values.length,
        ]);
      const output = await model({
        input_ids: tensor(ids),
        attention_mask: tensor(ids.map(() => 1)),
        token_type_ids: tensor(typeIds),
      });
      await model.dispose();
      return output.logits.data as Float32Array;
    },
    /** `last_hidden_state` and the attention mask of one padded call. */
    async hiddenStates(texts: readonly string[]) {
      const model = await AutoModel.from_pretrained(name, { dtype, device: 'cpu' });
      const inputs = tokenizer([...texts], { padding: true, truncation: true });
      const output = await model(inputs);
      await model.dispose();
      const state = output.last_hidden_state;
      return {
        data: state.data as Float32Array,
        dims: state.dims as number[],
        mask: Array.from(inputs.attention_mask.data as BigInt64Array, Number),
      };
    },
  };
}
