import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ModelNotFoundError } from '@twostage/core';
import type { JsonRecord } from './model-config.js';

/** Weight precision, named as transformers.js names them (and so as hub repos name the files). */
export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';

const dtypeSuffix: Record<ModelDtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
};

/** The ONNX file for a dtype in the optimum / transformers.js layout (`onnx/model_quantized.onnx`). */
export function modelFileFor(dtype: ModelDtype): string {
  return `onnx/model${dtypeSuffix[dtype]}.onnx`;
}

/** Files every model directory needs, besides its ONNX file. */
export const requiredModelFiles = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
] as const;

/** sentence-transformers files a bi-encoder may carry (pooling, prompts, normalisation). */
export const optionalModelFiles = [
  'special_tokens_map.json',
  'modules.json',
  '1_Pooling/config.json',
  'config_sentence_transformers.json',
  'sentence_bert_config.json',
] as const;

/**
 * Whether a model reference names a local directory (`./models/x`, `/abs/x`, `~/x`, or any path
 * that exists) rather than a hub id (`owner/name`).
 */
export function isLocalModelReference(reference: string): boolean {
  return (
    reference.startsWith('.') ||
    reference.startsWith('~') ||
    isAbsolute(reference) ||
    /^[a-zA-Z]:[\\/]/.test(reference) ||
    existsSync(reference)
  );
}

/** Expands `~` and makes a local reference absolute. */
export function localModelDirectory(reference: string): string {
  const expanded =
    reference === '~' || reference.startsWith('~/')
      ? join(homedir(), reference.slice(1))
      : reference;
  return resolve(expanded);
}

/**
 * Checks that a model directory holds what the runtime needs, before any native code runs, so a
 * bad directory fails with a message naming the missing or corrupt file.
 */
export function checkModelDirectory(
  directory: string,
  modelFile: string,
  provider: string,
  modelId: string,
): void {
  const fail = (message: string) => {
    throw new ModelNotFoundError({ provider, modelId, message });
  };
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    fail(`Model directory '${directory}' does not exist (model '${modelId}').`);
  }
  const layout = `expected ${[...requiredModelFiles, modelFile].join(', ')}`;
  for (const file of [...requiredModelFiles, modelFile]) {
    const path = join(directory, file);
    if (!existsSync(path))
      fail(`Model '${modelId}' is missing ${file} in '${directory}' (${layout}).`);
    if (statSync(path).size === 0)
      fail(
        `Model '${modelId}' has an empty ${file} in '${directory}' (a partial copy or download?).`,
      );
  }
  for (const file of [...requiredModelFiles, ...optionalModelFiles]) {
    if (!file.endsWith('.json') || !existsSync(join(directory, file))) continue;
    try {
      JSON.parse(readFileSync(join(directory, file), 'utf8'));
    } catch (error) {
      fail(
        `Model '${modelId}' has a corrupt ${file} in '${directory}': ${(error as Error).message}`,
      );
    }
  }
}

/** Reads a JSON file of the model directory, or undefined when it is absent or unreadable. */
export function readModelJson(directory: string, file: string): JsonRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(directory, file), 'utf8')) as JsonRecord;
  } catch {
    return undefined;
  }
}
