/**
 * Tokenizer throughput on one model's files: this package's pair encoder (@huggingface/tokenizers
 * + our truncation) against transformers.js's tokenizer call (padding, truncation, int64 tensors).
 * `tsx --conditions=@twostage/source bench/tokenizer-speed.ts <model dir>`; prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { PairEncoder } from '../src/tokenizer/pair-encoder.js';
import { specialTokenTemplateOf } from '../src/tokenizer/special-token-template.js';
import { wordStartTestOf } from '../src/tokenizer/word-start.js';
import { makeCalls } from './workload.js';

const modelDirectory = process.argv[2] ?? '';
const readJson = (file: string) => JSON.parse(readFileSync(join(modelDirectory, file), 'utf8'));
const tokenizerJson = readJson('tokenizer.json');
const template = specialTokenTemplateOf(tokenizerJson);
if (template === undefined) throw new Error('no post-processor');
const encoder = new PairEncoder(
  new Tokenizer(tokenizerJson, readJson('tokenizer_config.json')),
  template,
  {
    maxLength: 512,
    truncation: 'longest_first',
  },
  wordStartTestOf(tokenizerJson),
);
env.localModelPath = `${join(modelDirectory, '..')}/`;
env.allowRemoteModels = false;
const reference = await AutoTokenizer.from_pretrained(
  modelDirectory.split('/').filter(Boolean).at(-1) ?? '',
);
const calls = makeCalls(modelDirectory, 6, 100, 21);

const time = (work: (call: (typeof calls)[number]) => void) => {
  const [warmup, ...timed] = calls;
  if (warmup !== undefined) work(warmup);
  const started = performance.now();
  for (const call of timed) work(call);
  return (timed.length * 100) / ((performance.now() - started) / 1000);
};
const ours = time((call) => {
  const queryIds = encoder.tokenizeQuery(call.query);
  for (const document of call.documents) encoder.encodePair(queryIds, document);
});
const transformers = time((call) => {
  reference(
    call.documents.map(() => call.query),
    { text_pair: call.documents, padding: true, truncation: true },
  );
});
console.log(JSON.stringify({ oursPairsPerSecond: ours, transformersPairsPerSecond: transformers }));
