export { compileFilter, type FilterPredicate, matchesFilter } from './matches-filter.js';
export {
  fieldOperators,
  logicalOperators,
  maxFilterDepth,
  maxFilterListLength,
  validateFilter,
} from './validate-filter.js';
