import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import {
  startTeiEmulator,
  type TeiEmulator,
  type TeiEmulatorOptions,
} from '../emulator/tei-emulator.js';

/** The key the emulator accepts in tests; long enough for `redactSecrets` to act on it. */
export const teiTestApiKey = 'tei-key-0123456789abcdef';

/**
 * Starts one emulator for the test file and resets it before each test; after each test no
 * request may have carried a field TEI does not know. `TEI_*` variables are blanked.
 */
export function useTeiEmulator(options: TeiEmulatorOptions = {}): () => TeiEmulator {
  let emulator: TeiEmulator | undefined;
  beforeAll(async () => {
    emulator = await startTeiEmulator(options);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator?.reset();
    vi.stubEnv('TEI_BASE_URL', '');
    vi.stubEnv('TEI_API_KEY', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    expect(emulator?.violations ?? []).toEqual([]);
  });
  return () => {
    if (emulator === undefined) throw new Error('the emulator is not running');
    return emulator;
  };
}
