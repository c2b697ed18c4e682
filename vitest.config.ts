import { defineConfig } from 'vitest/config';

/**
 * One vitest run for the whole workspace. Packages are resolved from their TypeScript sources
 * through the `@twostage/source` export condition, so tests never depend on a stale build.
 */
export default defineConfig({
  resolve: { conditions: ['@twostage/source'] },
  ssr: { resolve: { conditions: ['@twostage/source'] } },
  test: {
    include: [
      'test/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
