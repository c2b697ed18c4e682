import { TwostageError } from '@twostage/core';
import { describe, expect, test } from 'vitest';
import type { BadInputRow } from './bad-input-row.js';
import { cliBadInputs } from './cli-bad-inputs.js';
import { coreBadInputs } from './core-bad-inputs.js';
import { embeddedBadInputs } from './engine-bad-inputs.js';
import { providerBadInputs } from './provider-bad-inputs.js';

/** Every row of the table in docs/reliability.md. */
const rows: BadInputRow[] = [
  ...coreBadInputs,
  ...embeddedBadInputs,
  ...providerBadInputs,
  ...cliBadInputs,
];

/** Runs a row's call; returns what it threw or rejected with, or its value. */
async function outcome(row: BadInputRow): Promise<{ threw: boolean; value: unknown }> {
  try {
    return { threw: false, value: await row.run() };
  } catch (error) {
    return { threw: true, value: error };
  }
}

describe('the bad-input table', () => {
  test('holds at least 120 distinct inputs', () => {
    expect(new Set(rows.map((row) => `${row.area}: ${row.input}`)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(120);
  });

  test.each(rows.map((row) => [`${row.area}: ${row.input}`, row] as const))(
    '%s',
    async (_name, row) => {
      const { threw, value } = await outcome(row);
      const expected = row.expect;
      if ('error' in expected) {
        // Typed: a member of the twostage error family, of the named class, never a raw TypeError.
        expect(threw, `expected ${expected.error}, got ${String(value)}`).toBe(true);
        expect(TwostageError.isInstance(value), String(value)).toBe(true);
        expect((value as Error).name).toBe(expected.error);
        if (expected.argument !== undefined) {
          expect((value as { argument?: string }).argument).toBe(expected.argument);
        }
        if (expected.message !== undefined)
          expect((value as Error).message).toMatch(expected.message);
      } else if ('warning' in expected) {
        expect(threw, String(value)).toBe(false);
        const messages = (value as { type: string; message?: string; details?: string }[]).map(
          (warning) => `${warning.message ?? ''} ${warning.details ?? ''}`,
        );
        expect(
          messages.some((message) => expected.warning.test(message)),
          messages.join(' | '),
        ).toBe(true);
      } else {
        expect(threw, String(value)).toBe(false);
        const run = value as { code: number; stderr: string };
        expect(run.code, run.stderr).toBe(expected.exitCode);
        expect(run.stderr).toMatch(expected.stderr);
        // One readable line, never a stack trace.
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
    },
  );
});
