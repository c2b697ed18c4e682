/**
 * Token ids of (query, document) pairs from the package's own PairEncoder, plus the CPU logits of
 * the same pairs through the public API, for the Python side to compare with Hugging Face.
 *
 *   node check-tokens.js <out.json> <modelDir>...
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { createLocalOnnx } from '../../../packages/provider-local-onnx/src/index.js';
import { maxSequenceLength } from '../../../packages/provider-local-onnx/src/model/model-config.js';
import { PairEncoder } from '../../../packages/provider-local-onnx/src/tokenizer/pair-encoder.js';
import { specialTokenTemplateOf } from '../../../packages/provider-local-onnx/src/tokenizer/special-token-template.js';
import type { TruncationStrategy } from '../../../packages/provider-local-onnx/src/tokenizer/truncate-pair.js';
import { wordStartTestOf } from '../../../packages/provider-local-onnx/src/tokenizer/word-start.js';
import { makeDocuments, makeQueries } from './corpus.js';

type Json = Record<string, unknown>;
const readJson = (directory: string, file: string) =>
  JSON.parse(readFileSync(join(directory, file), 'utf8')) as Json;

type Setting = { strategy: TruncationStrategy; maxLength?: number; queryMaxTokens?: number };

const queries = makeQueries(Number(process.env.GPU_CHECK_QUERIES ?? 8));
const documents = makeDocuments(Number(process.env.GPU_CHECK_PAIR_DOCUMENTS ?? 25));

async function checkModel(directory: string): Promise<Json> {
  const config = readJson(directory, 'config.json');
  const tokenizerJson = readJson(directory, 'tokenizer.json');
  const tokenizerConfig = readJson(directory, 'tokenizer_config.json');
  const template = specialTokenTemplateOf(tokenizerJson as never);
  if (template === undefined) throw new Error(`${directory}: no special-token template`);
  const tokenizer = new Tokenizer(tokenizerJson as never, tokenizerConfig as never);
  const modelMax = maxSequenceLength(config, tokenizerConfig);
  const settings: Setting[] = [
    { strategy: 'longest_first', maxLength: 32 },
    // An odd budget for XLM-R (4 special tokens): which side gets the odd token.
    { strategy: 'longest_first', maxLength: 33 },
    { strategy: 'longest_first', maxLength: 64 },
    { strategy: 'longest_first' },
    { strategy: 'only_second', maxLength: 32 },
    { strategy: 'only_second', maxLength: 64 },
    { strategy: 'only_second', maxLength: 64, queryMaxTokens: 8 },
    { strategy: 'only_second' },
  ];
  const results: Json[] = [];
  for (const setting of settings) {
    const maxLength = maxSequenceLength(config, tokenizerConfig, setting.maxLength);
    const queryMaxTokens = setting.queryMaxTokens ?? Math.floor((maxLength * 3) / 4);
    const encoder = new PairEncoder(
      tokenizer,
      template,
      { maxLength, truncation: setting.strategy, queryMaxTokens },
      wordStartTestOf(tokenizerJson as never),
    );
    const pairs: Json[] = [];
    queries.forEach((query, queryIndex) => {
      const queryIds = encoder.tokenizeQuery(query);
      documents.forEach((document, documentIndex) => {
        const encoded = encoder.encodePair(queryIds, document);
        pairs.push({
          query: queryIndex,
          document: documentIndex,
          ids: encoded.ids,
          typeIds: encoded.typeIds,
          truncated: encoded.truncated,
        });
      });
    });
    // The same pairs through the public API on the CPU: raw logits (identity activation).
    const stage = createLocalOnnx().reranker(directory, {
      executionProvider: 'cpu',
      activation: 'identity',
      truncation: setting.strategy,
      maxLength,
      queryMaxTokens,
    });
    const logits: number[] = [];
    let apiError: string | undefined;
    try {
      for (const query of queries) {
        const result = await stage.doRerank({
          query,
          documents: { type: 'text', values: documents },
        });
        const row = new Array<number>(documents.length).fill(Number.NaN);
        for (const entry of result.ranking) row[entry.index] = entry.score;
        logits.push(...row);
      }
    } catch (error) {
      apiError = `${(error as Error).name}: ${(error as Error).message}`;
    } finally {
      await stage.close();
    }
    results.push({
      strategy: setting.strategy,
      maxLength,
      queryMaxTokens,
      pairs,
      logits,
      ...(apiError === undefined ? {} : { apiError }),
    });
    console.log(
      `[tokens] ${basename(directory)} ${setting.strategy} maxLength=${maxLength} queryMaxTokens=${queryMaxTokens}: ${pairs.length} pairs, ${pairs.filter((pair) => pair.truncated).length} truncated${apiError === undefined ? '' : `, API ERROR ${apiError}`}`,
    );
  }
  return { name: basename(directory), directory, modelMax, settings: results };
}

const [output, ...directories] = process.argv.slice(2);
const models: Json[] = [];
for (const directory of directories) models.push(await checkModel(directory));
writeFileSync(output as string, JSON.stringify({ queries, documents, models }));
process.exit(0);
