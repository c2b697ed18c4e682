import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { fixtureSpecs } from '../scripts/fixture-specs.js';
import { buildEncoderModel, writeSyntheticModel } from '../src/testing/index.js';
import { fixtureModel } from './fixture-models.js';

function listFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(directory, entry)).isFile())
    .sort();
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('synthetic model generator', () => {
  test('regenerates the committed fixtures byte for byte (seeded weights)', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'twostage-fixtures-'));
    try {
      for (const [name, spec] of Object.entries(fixtureSpecs)) {
        const target = join(scratch, name);
        await writeSyntheticModel(target, spec);
        const committed = fixtureModel(name as Parameters<typeof fixtureModel>[0]);
        expect(listFiles(target)).toEqual(listFiles(committed));
        for (const file of listFiles(target)) {
          expect(
            digest(join(target, file)),
            `${name}/${relative(target, join(target, file))}`,
          ).toBe(digest(join(committed, file)));
        }
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  test('fixtures stay small (each model well under 1 MB)', () => {
    for (const name of Object.keys(fixtureSpecs)) {
      const directory = fixtureModel(name as Parameters<typeof fixtureModel>[0]);
      for (const file of listFiles(directory))
        expect(statSync(join(directory, file)).size).toBeLessThan(512 * 1024);
    }
  });

  test('the int8 variant uses the ops quantize_dynamic emits, and onnxruntime reads both graphs’ names', async () => {
    const spec = {
      ...fixtureSpecs['bert-cross-encoder'],
      hiddenSize: 16,
      numHeads: 2,
      intermediateSize: 32,
      numLayers: 1,
    } as NonNullable<(typeof fixtureSpecs)['bert-cross-encoder']>;
    const quantized = Buffer.from(buildEncoderModel(spec, true)).toString('latin1');
    for (const op of ['DynamicQuantizeLinear', 'MatMulInteger']) expect(quantized).toContain(op);
    const fp32 = Buffer.from(buildEncoderModel(spec, false)).toString('latin1');
    expect(fp32).not.toContain('MatMulInteger');
    for (const variant of [true, false]) {
      const session = await InferenceSession.create(buildEncoderModel(spec, variant));
      expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
      expect(session.outputNames).toEqual(['logits']);
      await session.release();
    }
    const xlmr = await InferenceSession.create(
      buildEncoderModel(
        {
          ...spec,
          architecture: 'xlm-roberta',
          task: 'feature-extraction',
          maxPositionEmbeddings: 130,
        },
        false,
      ),
    );
    expect(xlmr.inputNames).toEqual(['input_ids', 'attention_mask']);
    expect(xlmr.outputNames).toEqual(['last_hidden_state']);
    await xlmr.release();
  });
});
