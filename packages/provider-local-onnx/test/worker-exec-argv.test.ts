import { describe, expect, test } from 'vitest';
import { workerExecArgv } from '../src/runtime/worker-exec-argv.js';

describe('workerExecArgv', () => {
  test('drops --input-type in both spellings and keeps every other option', () => {
    expect(
      workerExecArgv([
        '--conditions=@twostage/source',
        '--input-type=module',
        '--import',
        'tsx',
        '--input-type',
        'commonjs',
        '--max-old-space-size=4096',
      ]),
    ).toEqual(['--conditions=@twostage/source', '--import', 'tsx', '--max-old-space-size=4096']);
  });

  test('leaves an ordinary command line untouched', () => {
    expect(workerExecArgv(['--enable-source-maps'])).toEqual(['--enable-source-maps']);
    expect(workerExecArgv([])).toEqual([]);
  });
});
