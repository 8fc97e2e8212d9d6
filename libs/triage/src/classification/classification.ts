/** What the built-in classifier reads and what it proposes for a ticket. */

export type ClassifiedCategory = 'billing' | 'subscription_management' | 'technical';
export type ClassifiedProduct = 'azure' | 'microsoft_365' | 'dynamics_365' | 'other';

export interface ClassificationInput {
  subject: string;
  description: string;
}

export interface PrioritySuggestion {
  priority: 'P1' | 'P2';
  reason: string;
}

export interface Classification {
  category: ClassifiedCategory;
  categoryReason: string;
  product: ClassifiedProduct;
  productReason: string;
  prioritySuggestion: PrioritySuggestion | null;
}
