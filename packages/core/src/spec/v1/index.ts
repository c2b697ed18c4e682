export type * from './embedding-model-v1.js';
export type * from './rerank-stage-v1.js';
export type * from './retrieve-stage-v1.js';
export type * from './shared-v1.js';
