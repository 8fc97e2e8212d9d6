import type {
  Classification,
  ClassificationInput,
  ClassifiedCategory,
  ClassifiedProduct,
  ClassifierWhy,
  PrioritySuggestion,
} from './classification';
import { matchedKeywords, normalizeFields } from './text-normalizer';
import {
  BILLING_WORDS,
  EVERYONE_WORDS,
  OUTAGE_WORDS,
  PRODUCT_WORDS,
  SUBSCRIPTION_WORDS,
} from './vocabulary';

/**
 * The built-in bilingual keyword classifier: proposes a category, a product and (for outages)
 * a priority, each with a reason naming the words that decided it. Pure and deterministic.
 */
export function classify(input: ClassificationInput): Classification {
  const text = normalizeFields(input.subject, input.description);
  return {
    ...classifyCategory(text),
    ...classifyProduct(text),
    prioritySuggestion: suggestPriority(text),
  };
}

const quoted = (words: readonly string[]): string => words.map((word) => `"${word}"`).join(', ');

function classifyCategory(text: string): { category: ClassifiedCategory; categoryReason: string; categoryWhy: ClassifierWhy } {
  const billing = matchedKeywords(text, BILLING_WORDS);
  const subscription = matchedKeywords(text, SUBSCRIPTION_WORDS);
  if (billing.length === 0 && subscription.length === 0) {
    return { category: 'technical', categoryReason: 'no billing or subscription words', categoryWhy: { code: 'no_category_words', params: {} } };
  }
  if (subscription.length > billing.length) {
    return { category: 'subscription_management', ...withRunnerUp(subscription, billing, 'billing') };
  }
  return { category: 'billing', ...withRunnerUp(billing, subscription, 'subscription') };
}

function withRunnerUp(winner: string[], loser: string[], loserName: 'billing' | 'subscription'): { categoryReason: string; categoryWhy: ClassifierWhy } {
  const reason = `matched ${quoted(winner)}`;
  if (loser.length === 0) return { categoryReason: reason, categoryWhy: { code: 'matched', params: { words: winner } } };
  const tie = winner.length === loser.length;
  return {
    categoryReason: `${reason}; ${loserName} words ${quoted(loser)} (${tie ? 'billing wins the tie' : 'fewer'})`,
    categoryWhy: { code: 'matched_over', params: { words: winner, other: loserName, otherWords: loser, tie } },
  };
}

function classifyProduct(text: string): { product: ClassifiedProduct; productReason: string; productWhy: ClassifierWhy } {
  let best: { product: ClassifiedProduct; words: string[] } = { product: 'other', words: [] };
  for (const { product, words } of PRODUCT_WORDS) {
    const matched = matchedKeywords(text, words);
    if (matched.length > best.words.length) best = { product, words: matched };
  }
  if (best.words.length === 0) return { product: best.product, productReason: 'no product words', productWhy: { code: 'no_product_words', params: {} } };
  return { product: best.product, productReason: `matched ${quoted(best.words)}`, productWhy: { code: 'matched', params: { words: best.words } } };
}

function suggestPriority(text: string): PrioritySuggestion | null {
  const outage = matchedKeywords(text, OUTAGE_WORDS);
  if (outage.length === 0) return null;
  const everyone = matchedKeywords(text, EVERYONE_WORDS);
  if (everyone.length === 0) return { priority: 'P2', reason: `outage words ${quoted(outage)}`, why: { code: 'outage', params: { words: outage } } };
  return {
    priority: 'P1',
    reason: `outage words ${quoted(outage)} affecting everyone: ${quoted(everyone)}`,
    why: { code: 'outage_everyone', params: { words: outage, everyone } },
  };
}
