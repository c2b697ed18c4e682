import { InvalidArgumentError } from '@twostage/core';
import { checkOptionNames } from '@twostage/core/provider-utils';

/** What one option may hold. */
type OptionRule =
  | { kind: 'boolean' }
  | { kind: 'string'; nonEmpty?: boolean }
  | { kind: 'function' }
  | { kind: 'integer'; min: number; allowInfinity?: boolean }
  | { kind: 'choice'; choices: readonly string[] };

const executionProviders = ['cpu', 'cuda', 'webgpu'] as const;

/** The rules of `createLocalOnnx`'s settings. */
const providerRules: Record<string, OptionRule> = {
  cacheDir: { kind: 'string', nonEmpty: true },
  hubEndpoint: { kind: 'string', nonEmpty: true },
  hubToken: { kind: 'string' },
  offline: { kind: 'boolean' },
  fetch: { kind: 'function' },
  onDownloadProgress: { kind: 'function' },
  executionProvider: { kind: 'choice', choices: executionProviders },
  threads: { kind: 'integer', min: 0 },
  workers: { kind: 'integer', min: 1 },
};

/** The rules every model shares. */
const modelRules: Record<string, OptionRule> = {
  dtype: { kind: 'choice', choices: ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4'] },
  modelFile: { kind: 'string', nonEmpty: true },
  revision: { kind: 'string', nonEmpty: true },
  executionProvider: { kind: 'choice', choices: executionProviders },
  fallbackToCpu: { kind: 'boolean' },
  threads: { kind: 'integer', min: 0 },
  workers: { kind: 'integer', min: 1 },
  graphOptimizationLevel: { kind: 'choice', choices: ['disabled', 'basic', 'extended', 'all'] },
  maxLength: { kind: 'integer', min: 1, allowInfinity: true },
  maxBatchTokens: { kind: 'integer', min: 1, allowInfinity: true },
  maxBatchSize: { kind: 'integer', min: 1, allowInfinity: true },
  deterministic: { kind: 'boolean' },
  allowSpinning: { kind: 'boolean' },
  worker: { kind: 'boolean' },
};

/** The rules of `localOnnx.reranker`'s options. */
const rerankerRules: Record<string, OptionRule> = {
  ...modelRules,
  activation: { kind: 'choice', choices: ['sigmoid', 'softmax', 'identity'] },
  truncation: { kind: 'choice', choices: ['longest_first', 'only_second'] },
  queryMaxTokens: { kind: 'integer', min: 0, allowInfinity: true },
  maxDocumentsPerCall: { kind: 'integer', min: 1, allowInfinity: true },
};

/** The rules of `localOnnx.embeddingModel`'s options. */
const embeddingRules: Record<string, OptionRule> = {
  ...modelRules,
  pooling: { kind: 'choice', choices: ['mean', 'cls'] },
  normalize: { kind: 'boolean' },
  queryPrefix: { kind: 'string' },
  documentPrefix: { kind: 'string' },
  maxEmbeddingsPerCall: { kind: 'integer', min: 1 },
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

function checkValue(value: unknown, rule: OptionRule, argument: string): void {
  if (value === undefined) return;
  const fail = (expected: string) => {
    throw new InvalidArgumentError({
      argument,
      message: `must be ${expected}, got ${describe(value)}.`,
    });
  };
  switch (rule.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return;
    case 'function':
      if (typeof value !== 'function') fail('a function');
      return;
    case 'string':
      if (typeof value !== 'string' || (rule.nonEmpty === true && value.trim() === ''))
        fail(rule.nonEmpty === true ? 'a non-empty string' : 'a string');
      return;
    case 'integer':
      if (rule.allowInfinity === true && value === Number.POSITIVE_INFINITY) return;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < rule.min)
        fail(`an integer ≥ ${rule.min}${rule.allowInfinity === true ? ' (or Infinity)' : ''}`);
      return;
    case 'choice':
      if (!rule.choices.includes(value as string))
        fail(`one of ${rule.choices.map((choice) => `'${choice}'`).join(', ')}`);
      return;
  }
}

function checkOptions(
  options: unknown,
  rules: Record<string, OptionRule>,
  what: string,
  path: string,
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({
      argument: path,
      message: `must be an object, got ${describe(options)}.`,
    });
  }
  checkOptionNames(options, Object.keys(rules), what, path);
  for (const [name, rule] of Object.entries(rules)) {
    checkValue((options as Record<string, unknown>)[name], rule, `${path}.${name}`);
  }
}

/**
 * Checks `createLocalOnnx`'s settings for callers without a type checker: unknown names
 * (`cachedir`), wrong types, an unknown execution provider.
 * @throws InvalidArgumentError naming the setting (and the closest valid name)
 */
export function checkLocalOnnxSettings(settings: unknown): void {
  checkOptions(settings, providerRules, 'createLocalOnnx()', 'settings');
}

/** Checks the model reference every factory takes first. */
function checkModelReference(modelIdOrDirectory: unknown): void {
  if (typeof modelIdOrDirectory !== 'string' || modelIdOrDirectory.trim() === '') {
    throw new InvalidArgumentError({
      argument: 'modelIdOrDirectory',
      message: `must be a hub id ('Xenova/ms-marco-MiniLM-L-6-v2') or a model directory, got ${describe(modelIdOrDirectory)}.`,
    });
  }
}

/**
 * Checks a reranker's model reference and options: a misspelt `devcie` or an unknown
 * `dtype: 'q3'` fail here, by name, instead of as a missing `onnx/modelundefined.onnx`.
 * @throws InvalidArgumentError naming the option (and the closest valid name)
 */
export function checkLocalOnnxRerankerOptions(modelIdOrDirectory: unknown, options: unknown): void {
  checkModelReference(modelIdOrDirectory);
  checkOptions(options, rerankerRules, 'localOnnx.reranker()', 'options');
}

/**
 * Checks an embedding model's model reference and options (see
 * {@link checkLocalOnnxRerankerOptions}).
 * @throws InvalidArgumentError naming the option (and the closest valid name)
 */
export function checkLocalOnnxEmbeddingOptions(
  modelIdOrDirectory: unknown,
  options: unknown,
): void {
  checkModelReference(modelIdOrDirectory);
  checkOptions(options, embeddingRules, 'localOnnx.embeddingModel()', 'options');
}
