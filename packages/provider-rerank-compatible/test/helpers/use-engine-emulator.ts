import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import {
  type EngineEmulator,
  type EngineEmulatorOptions,
  startEngineEmulator,
} from '../emulator/engine-emulator.js';

/** The key the emulators accept in tests; long enough for `redactSecrets` to act on it. */
export const engineApiKey = 'engine-key-0123456789';

/**
 * Starts one emulator for the test file and resets it before each test; after each test no
 * request may have carried a field the engine does not know. The provider's environment
 * variables are blanked for every test.
 */
export function useEngineEmulator(options: EngineEmulatorOptions): () => EngineEmulator {
  let emulator: EngineEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEngineEmulator(options);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator?.reset();
    vi.stubEnv('RERANK_COMPATIBLE_BASE_URL', '');
    vi.stubEnv('RERANK_COMPATIBLE_API', '');
    vi.stubEnv('RERANK_COMPATIBLE_API_KEY', '');
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
