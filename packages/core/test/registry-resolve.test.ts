import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  InvalidArgumentError,
  MissingSettingError,
  type ProviderModuleV1,
  ProviderNotFoundError,
  registerProvider,
  rerank,
  resolveEmbeddingModel,
  resolveReranker,
  resolveRetriever,
  unregisterProvider,
} from '../src/index.js';
import { MockEmbeddingModel, MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';
import { isModuleNotFound } from '../src/registry/load-provider.js';

const variables = ['TWOSTAGE_RERANKER', 'TWOSTAGE_RETRIEVER', 'TWOSTAGE_EMBEDDING_MODEL'] as const;
let saved: Record<string, string | undefined> = {};

beforeEach(() => {
  saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
  for (const name of variables) delete process.env[name];
});

afterEach(() => {
  for (const name of variables) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  unregisterProvider('explicit');
});

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('the mock provider', () => {
  test('resolves the three mocks, with the model id from the reference', async () => {
    const reranker = await resolveReranker('mock:tiny-reranker');
    expect(reranker).toBeInstanceOf(MockRerankStage);
    expect(reranker.modelId).toBe('tiny-reranker');
    const retriever = await resolveRetriever('mock', {
      settings: {
        documents: [
          { id: 'fee', text: 'early repayment fee' },
          { id: 'hours', text: 'branch hours' },
        ],
      },
    });
    expect(retriever).toBeInstanceOf(MockRetrieveStage);
    expect(retriever.modelId).toBe('mock-index');
    const found = await retriever.doRetrieve({ query: 'repayment fee', topK: 5 });
    expect(found.candidates.map((candidate) => candidate.id)).toEqual(['fee']);
    const embeddingModel = await resolveEmbeddingModel('mock:hashed', {
      settings: { dimensions: 8 },
    });
    expect(embeddingModel).toBeInstanceOf(MockEmbeddingModel);
    expect(embeddingModel.dimensions).toBe(8);
  });

  test('settings reach the reranker, and it works behind rerank()', async () => {
    const model = await resolveReranker('mock', { settings: { maxDocumentsPerCall: 2 } });
    expect(model.maxDocumentsPerCall).toBe(2);
    const result = await rerank({
      model,
      query: 'annual fee',
      documents: ['opening hours', 'the annual fee', 'lost card'],
    });
    expect(result.ranking.map((entry) => entry.document)).toEqual([
      'the annual fee',
      'opening hours',
      'lost card',
    ]);
  });

  test('a malformed setting is an InvalidArgumentError naming it', async () => {
    const error = await caught(resolveReranker('mock', { settings: { latencyMs: 'slow' } }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('settings.latencyMs');
    const infinite = await caught(
      resolveEmbeddingModel('mock', { settings: { dimensions: Number.POSITIVE_INFINITY } }),
    );
    expect((infinite as Error).message).toBe(
      "Invalid argument 'settings.dimensions': must be a finite number, got Infinity.",
    );
  });
});

describe('references from the environment', () => {
  test('each resolver reads its own variable when no reference is given', async () => {
    process.env.TWOSTAGE_RERANKER = 'mock:from-env-reranker';
    process.env.TWOSTAGE_RETRIEVER = 'mock:from-env-index';
    process.env.TWOSTAGE_EMBEDDING_MODEL = 'mock:from-env-embedding';
    expect((await resolveReranker()).modelId).toBe('from-env-reranker');
    expect((await resolveRetriever()).modelId).toBe('from-env-index');
    expect((await resolveEmbeddingModel()).modelId).toBe('from-env-embedding');
  });

  test('an explicit reference wins over the variable', async () => {
    process.env.TWOSTAGE_RERANKER = 'absent-provider:model';
    expect((await resolveReranker('mock:explicit')).modelId).toBe('explicit');
  });

  test.each([
    ['TWOSTAGE_RERANKER', () => resolveReranker()],
    ['TWOSTAGE_RETRIEVER', () => resolveRetriever()],
    ['TWOSTAGE_EMBEDDING_MODEL', () => resolveEmbeddingModel()],
  ])(
    'a missing %s is a MissingSettingError naming the option and the variable',
    async (variable, resolve) => {
      const error = await caught(resolve());
      expect(MissingSettingError.isInstance(error)).toBe(true);
      expect((error as MissingSettingError).setting).toBe('ref');
      expect((error as MissingSettingError).environmentVariables).toEqual([variable]);
      expect((error as Error).message).toContain(`'${variable}'`);
      expect((error as Error).message).toContain("'ref' option");
    },
  );

  test('a blank variable counts as missing', async () => {
    process.env.TWOSTAGE_RERANKER = '   ';
    expect(MissingSettingError.isInstance(await caught(resolveReranker()))).toBe(true);
  });

  test('a malformed variable is an InvalidArgumentError naming the variable', async () => {
    process.env.TWOSTAGE_RERANKER = 'Not A Reference';
    const error = await caught(resolveReranker());
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('TWOSTAGE_RERANKER');
  });

  test('a blank explicit reference is an InvalidArgumentError, not a cue to read the environment', async () => {
    process.env.TWOSTAGE_RERANKER = 'mock';
    const error = await caught(resolveReranker(''));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('ref');
  });
});

describe('explicit registration', () => {
  test('a registered provider resolves, receiving the model id and the options', async () => {
    const received: unknown[] = [];
    const embeddingModel = new MockEmbeddingModel();
    const module: ProviderModuleV1 = {
      reranker(modelId, options) {
        received.push(modelId, options);
        return new MockRerankStage({ modelId: `explicit/${modelId}` });
      },
    };
    registerProvider('explicit', module);
    const model = await resolveReranker('explicit:org/model:v1', {
      embeddingModel,
      settings: { apiKey: 'k' },
    });
    expect(model.modelId).toBe('explicit/org/model:v1');
    expect(received).toEqual(['org/model:v1', { embeddingModel, settings: { apiKey: 'k' } }]);
  });

  test('a registered provider shadows a built-in one, and unregistering restores it', async () => {
    registerProvider('explicit', {
      reranker: async () => new MockRerankStage({ modelId: 'async-factory' }),
    });
    expect((await resolveReranker('explicit')).modelId).toBe('async-factory');
    expect(unregisterProvider('explicit')).toBe(true);
    expect(ProviderNotFoundError.isInstance(await caught(resolveReranker('explicit')))).toBe(true);
  });

  test('a provider module written as a class keeps its this', async () => {
    class ClassProvider {
      readonly prefix = 'class';
      reranker(modelId: string | undefined) {
        return new MockRerankStage({ modelId: `${this.prefix}:${modelId}` });
      }
    }
    registerProvider('explicit', new ClassProvider());
    expect((await resolveReranker('explicit:m')).modelId).toBe('class:m');
  });

  test('asking a provider for a kind it does not offer names what it offers', async () => {
    registerProvider('explicit', { retriever: () => new MockRetrieveStage({ documents: [] }) });
    const error = await caught(resolveReranker('explicit:x'));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /provider 'explicit' offers no reranker \(it offers: retriever\)/,
    );
  });

  test('registration validates its arguments', () => {
    expect(() => registerProvider('Bad Name', {})).toThrow(/lowercase letters/);
    expect(() => registerProvider('ok', null as unknown as ProviderModuleV1)).toThrow(
      /ProviderModuleV1/,
    );
  });
});

describe('providers that are not installed', () => {
  test('an unknown provider is a ProviderNotFoundError naming the package to install', async () => {
    const error = await caught(resolveReranker('cohere-not-installed:rerank-v3.5'));
    expect(ProviderNotFoundError.isInstance(error)).toBe(true);
    expect((error as ProviderNotFoundError).provider).toBe('cohere-not-installed');
    expect((error as ProviderNotFoundError).packageName).toBe(
      '@twostage/provider-cohere-not-installed',
    );
    expect((error as Error).message).toContain('pnpm add @twostage/provider-cohere-not-installed');
  });

  test('a provider named like an Object.prototype member is looked up as a package', async () => {
    // `constructor` is a valid provider name; it must not find Object.prototype.constructor
    // among the built-in providers.
    const error = await caught(resolveReranker('constructor:x'));
    expect(ProviderNotFoundError.isInstance(error)).toBe(true);
    expect((error as ProviderNotFoundError).packageName).toBe('@twostage/provider-constructor');
  });

  test('only the provider package itself missing counts as "not installed", not a dependency of it', () => {
    const packageName = '@twostage/provider-local-onnx';
    const missing = (message: string) =>
      Object.assign(new Error(message), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(
      isModuleNotFound(
        missing(`Cannot find package '${packageName}' imported from /app/src/main.js`),
        packageName,
      ),
    ).toBe(true);
    // Installed, but its own dependency is missing: that error must reach the user as it is.
    expect(
      isModuleNotFound(
        missing(
          `Cannot find package 'onnxruntime-node' imported from /app/node_modules/${packageName}/dist/index.js`,
        ),
        packageName,
      ),
    ).toBe(false);
    expect(isModuleNotFound(new Error(`Syntax error in ${packageName}`), packageName)).toBe(false);
  });
});
