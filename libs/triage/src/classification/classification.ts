/** What the built-in classifier reads and what it proposes for a ticket. */

export type ClassifiedCategory = 'billing' | 'subscription_management' | 'technical';
export type ClassifiedProduct = 'azure' | 'microsoft_365' | 'dynamics_365' | 'other';

export interface ClassificationInput {
  subject: string;
  description: string;
}

/**
 * Why the classifier proposed what it did, for a screen to say in its reader's language: a code
 * and the values its sentence needs (the `…Reason` strings say the same in English). `words` are
 * the keywords as matched; `other` names the losing category and `otherWords` its keywords.
 */
export type ClassifierWhy =
  | { code: 'no_category_words' | 'no_product_words'; params: Record<string, never> }
  | { code: 'matched'; params: { words: string[] } }
  | { code: 'matched_over'; params: { words: string[]; other: 'billing' | 'subscription'; otherWords: string[]; tie: boolean } };

/** Why an outage wording suggests a priority: its words, and (P1) the words saying everyone is affected. */
export type PrioritySuggestionWhy =
  | { code: 'outage'; params: { words: string[] } }
  | { code: 'outage_everyone'; params: { words: string[]; everyone: string[] } };

export interface PrioritySuggestion {
  priority: 'P1' | 'P2';
  /** In English. */
  reason: string;
  why: PrioritySuggestionWhy;
}

export interface Classification {
  category: ClassifiedCategory;
  categoryReason: string;
  categoryWhy: ClassifierWhy;
  product: ClassifiedProduct;
  productReason: string;
  productWhy: ClassifierWhy;
  prioritySuggestion: PrioritySuggestion | null;
}
