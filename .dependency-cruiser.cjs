/**
 * The import rules of the monorepo's production code (`packages/*\/src`), checked by
 * `pnpm deps:check` in CI. Each rule holds one line of docs/architecture.md; the comments say why.
 *
 * Paths are matched on the resolved file, so `@twostage/core` resolves through the workspace
 * link to `packages/core/src/index.ts` (the `@twostage/source` condition). An import that
 * cannot be resolved keeps its raw name as its path (`@twostage/core/src/errors/...`, which
 * core's `exports` map refuses), so the rules match those raw names too.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** Core's public entry points, as the files the resolver lands on (sources or a build). */
const coreEntryPoints =
  '^packages/core/(src|dist)/(index|provider-utils/index|mock/index|testing/index)\\.(ts|js|d\\.ts)$';

/** Production files outside core: every other package's `src`, tests inside `src` excluded. */
const nonCoreSource = '^packages/(?!core/)[^/]+/src/';

/** A test kit: any package's `src/testing` folder, or a `testing` entry point by package name. */
const testKit = ['^packages/[^/]+/src/testing/', '^@twostage/[^/]+/testing(/|$)'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle makes load order decide what is undefined at run time and ties modules ' +
        'that should be read, tested and moved alone. Type-only imports count too: a type cycle ' +
        'still means two files cannot be understood apart.',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-no-other-package',
      severity: 'error',
      comment:
        'Everything depends on core and core on no package of ours: it finds providers and ' +
        '@twostage/embedded by package name at run time (the alias table), never by an import.',
      from: { path: '^packages/core/src/' },
      to: {
        path: ['^packages/(?!core/)[^/]+/', '^@twostage/(?!core(/|$))'],
      },
    },
    {
      name: 'only-core-entry-points',
      severity: 'error',
      comment:
        'Other packages see core only through its published entry points (@twostage/core, ' +
        '/provider-utils, /mock, /testing), so core can move its files freely and what works ' +
        'in the workspace also works from npm.',
      from: { path: nonCoreSource, pathNot: '\\.test\\.ts$' },
      to: { path: '^packages/core/', pathNot: coreEntryPoints },
    },
    {
      name: 'no-relative-import-across-packages',
      severity: 'error',
      comment:
        'A relative path into another package (../core/src/...) bypasses its entry points and ' +
        'its package.json even when it lands on an entry file; import the package by name.',
      from: { path: '^packages/([^/]+)/src/' },
      to: { path: '^packages/[^/]+/', pathNot: '^packages/$1/', dependencyTypes: ['local'] },
    },
    {
      name: 'no-deep-core-import',
      severity: 'error',
      comment:
        'A deep import such as @twostage/core/src/... or @twostage/core/dist/... is not an entry ' +
        "point (core's exports map refuses it, so it resolves nowhere).",
      from: { path: nonCoreSource },
      to: { path: '^@twostage/core/(?!(provider-utils|mock|testing)$)' },
    },
    {
      name: 'src-imports-no-test-kit',
      severity: 'error',
      comment:
        'Production code never depends on a test kit (conformance suites, synthetic models): ' +
        "the registry's mock provider takes its stages from @twostage/core/mock. Only a " +
        'test kit itself, and tests, may import one.',
      from: {
        path: '^packages/[^/]+/src/',
        pathNot: ['^packages/[^/]+/src/testing/', '\\.test\\.ts$'],
      },
      to: { path: testKit },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment:
        'An import the resolver cannot find is either a typo or a path that no entry point ' +
        'exports; both break for a user who installed the package from npm.',
      from: { path: '^packages/[^/]+/src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `pnpm deps:check` cruises `packages/*/src` only: tests and benchmarks may import test kits
    // and anything else they need. Builds are never cruised.
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // Count `import type` too: a type-only import of the test kit still ships in the `.d.ts`.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      // The workspace resolves packages to their TypeScript sources, as vitest and tsc do.
      conditionNames: ['@twostage/source', 'types', 'import'],
      mainFields: ['types', 'module', 'main'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
