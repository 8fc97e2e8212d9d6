export * from './classification';
export { classify } from './builtin-classifier';
export { containsWord, matchedKeywords, normalize, normalizeFields, tokenize } from './text-normalizer';
