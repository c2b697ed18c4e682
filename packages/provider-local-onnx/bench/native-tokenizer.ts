/**
 * Is the native `tokenizers` package (Rust, napi) worth adopting over `@huggingface/tokenizers`
 * (pure JavaScript)? Tokenizes the same documents (30–400 words) with the bench models'
 * tokenizer.json files, one text at a time as a worker would, and all at once (`Promise.all`, which
 * spreads the native calls over libuv's thread pool), and checks that the ids agree.
 * `tsx --conditions=@twostage/source bench/native-tokenizer.ts [rounds]`; prints a Markdown table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer as JavaScriptTokenizer } from '@huggingface/tokenizers';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import { makeCalls } from './workload.js';

const rounds = Number(process.argv[2] ?? '3');
const modelsRoot = fileURLToPath(new URL('./.models/', import.meta.url));
console.log(
  '| tokenizer.json | JavaScript, one at a time | native, one at a time | native, all at once | ids identical |',
);
console.log('|---|---|---|---|---|');
for (const name of ['minilm-l6-cross-encoder', 'bge-base-cross-encoder']) {
  const directory = join(modelsRoot, name);
  const json = readFileSync(join(directory, 'tokenizer.json'), 'utf8');
  const javascript = new JavaScriptTokenizer(
    JSON.parse(json),
    JSON.parse(readFileSync(join(directory, 'tokenizer_config.json'), 'utf8')),
  );
  const native = NativeTokenizer.fromString(json);
  const texts = makeCalls(directory, 1, 400, 3)[0]?.documents ?? [];
  const best = {
    javascript: Number.POSITIVE_INFINITY,
    sequential: Number.POSITIVE_INFINITY,
    parallel: Number.POSITIVE_INFINITY,
  };
  let identical = 0;
  for (let round = 0; round < rounds; round += 1) {
    let started = performance.now();
    const reference = texts.map(
      (text) => javascript.encode(text, { add_special_tokens: false }).ids,
    );
    best.javascript = Math.min(best.javascript, performance.now() - started);
    started = performance.now();
    for (const text of texts) await native.encode(text, null, { addSpecialTokens: false });
    best.sequential = Math.min(best.sequential, performance.now() - started);
    started = performance.now();
    const encodings = await Promise.all(
      texts.map((text) => native.encode(text, null, { addSpecialTokens: false })),
    );
    best.parallel = Math.min(best.parallel, performance.now() - started);
    identical = encodings.filter((encoding, index) => {
      const ids = encoding.getIds();
      const expected = reference[index] ?? [];
      return (
        ids.length === expected.length && ids.every((id, position) => id === expected[position])
      );
    }).length;
  }
  const rate = (milliseconds: number) =>
    `${((texts.length * 1000) / milliseconds).toFixed(0)} texts/s`;
  console.log(
    `| ${name} | ${rate(best.javascript)} | ${rate(best.sequential)} | ${rate(best.parallel)} | ${identical}/${texts.length} |`,
  );
}
