export { ndcgAtK } from './ndcg-at-k.js';
export { precisionAtK } from './precision-at-k.js';
export { recallAtK } from './recall-at-k.js';
export { reciprocalRank } from './reciprocal-rank.js';
export type { RelevanceJudgments } from './relevance-judgments.js';
