import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import {
  type CohereEmulator,
  type CohereEmulatorOptions,
  startCohereEmulator,
} from '../emulator/cohere-emulator.js';

/** The key the emulator accepts in tests; long enough for `redactSecrets` to act on it. */
export const emulatorApiKey = 'emulator-key-0123456789';

/**
 * Starts one emulator for the test file and resets it before each test. After each test, no
 * request or response may have broken the API description. The Cohere environment variables are
 * blanked for every test, so a developer's real key never reaches the emulator or a snapshot.
 */
export function useCohereEmulator(options: CohereEmulatorOptions = {}): () => CohereEmulator {
  let emulator: CohereEmulator | undefined;
  beforeAll(async () => {
    emulator = await startCohereEmulator({ apiKey: emulatorApiKey, ...options });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator?.reset();
    vi.stubEnv('COHERE_API_KEY', '');
    vi.stubEnv('CO_API_KEY', '');
    vi.stubEnv('COHERE_BASE_URL', '');
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
