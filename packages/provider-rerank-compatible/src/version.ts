/** The version of `@twostage/provider-rerank-compatible` (kept equal to `package.json` by a test). */
export const VERSION = '0.1.0';
