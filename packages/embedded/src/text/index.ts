export { englishStopWords } from './english-stop-words.js';
export { type NormalizeTextOptions, normalizeText } from './normalize-text.js';
export {
  createTextAnalyzer,
  type TextAnalyzer,
  type TextAnalyzerOptions,
  tokenize,
} from './tokenize.js';
