export * from './classification';
export { classify } from './builtin-classifier';
export { containsWord, matchedKeywords, normalize, normalizeFields, tokenize, words } from './text-normalizer';
