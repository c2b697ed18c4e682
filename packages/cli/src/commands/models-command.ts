import { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printCachedModels } from '../models/print-cached-models.js';
import { pullModel } from '../models/pull-model.js';
import { removeModel } from '../models/remove-model.js';
import type { RegisterCommand } from './register-command.js';

/**
 * `twostage models pull <hub-id> | list | rm <hub-id>`: the local model cache that the local ONNX
 * provider downloads into (`TWOSTAGE_CACHE_DIR`, else the user's cache directory).
 */
export const registerModelsCommand: RegisterCommand = (context) => {
  const models = new Command('models').description(
    'The local model cache: download a hub model ahead of time, list what is cached, remove one.',
  );
  models.addHelpText(
    'after',
    `
Examples:
  twostage models pull cross-encoder/mmarco-mMiniLMv2-L12-H384-v1   # the default reranker, once
  twostage models pull Xenova/ms-marco-MiniLM-L-6-v2 --dtype q8
  twostage models list
  twostage models rm Xenova/ms-marco-MiniLM-L-6-v2`,
  );

  const pull = subcommand(models, context, 'pull')
    .description(
      'download a hub model (the files a reranker or embedding model loads) into the cache',
    )
    .argument('<hub-id>', 'the repository, owner/name')
    .option(
      '--revision <revision>',
      'branch, tag or commit (default: main; the pinned commit for the default reranker)',
    )
    .option(
      '--dtype <dtype>',
      'which ONNX file: fp32 (onnx/model.onnx), q8 (onnx/model_quantized.onnx), fp16, int8, uint8, q4',
    )
    .option(
      '--file <path>',
      'an explicit ONNX file in the repository, e.g. onnx/model_quint8_avx2.onnx',
    )
    .action(
      async (hubId: string, options: { revision?: string; dtype?: string; file?: string }) => {
        await pullModel(hubId, options, context);
      },
    );
  pull.addHelpText(
    'after',
    `
Without --revision/--dtype/--file it fetches what '--reranker local-onnx:<hub-id>' loads: revision
main and onnx/model.onnx, or, for the default reranker, its pinned commit and its int8 file.
A progress line per file on a terminal; an interrupted pull keeps the complete files and resumes.

Examples:
  twostage models pull cross-encoder/mmarco-mMiniLMv2-L12-H384-v1
  twostage models pull Xenova/bge-reranker-base --dtype q8
  HF_ENDPOINT=https://hf-mirror.example.com twostage models pull BAAI/bge-reranker-v2-m3 --file onnx/model.onnx`,
  );

  subcommand(models, context, 'list')
    .description('List the cached models: revision, files, sizes and the sha256 of each file.')
    .option(
      '--json',
      'print JSON: { cacheDirectory, models: [{ id, revision, directory, bytes, files: [{ path, bytes, sha256 }], interrupted }] }',
    )
    .action(async (options: { json?: boolean }) => {
      await printCachedModels(options.json === true, context);
    })
    .addHelpText(
      'after',
      `
Examples:
  twostage models list
  twostage models list --json | jq '.models[].id'
  TWOSTAGE_CACHE_DIR=/var/cache/twostage twostage models list`,
    );

  subcommand(models, context, 'rm')
    .description('Remove a model from the cache (every revision, unless --revision names one).')
    .argument('<hub-id>', 'the repository, owner/name')
    .option('--revision <revision>', 'remove only this revision')
    .action(async (hubId: string, options: { revision?: string }) => {
      await removeModel(hubId, options.revision, context);
    })
    .addHelpText(
      'after',
      `
Examples:
  twostage models rm Xenova/ms-marco-MiniLM-L-6-v2
  twostage models rm cross-encoder/mmarco-mMiniLMv2-L12-H384-v1 --revision main`,
    );
  return models;
};

/** A subcommand that reports usage errors and writes help like the program does. */
function subcommand(parent: Command, context: CliContext, name: string): Command {
  return parent
    .command(name)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
}
