/** The values of a ticket's fields (the row itself is TicketRow, written by ticket-writes.ts). */
export type TicketCategory = 'billing' | 'subscription_management' | 'technical';
export const TICKET_CATEGORIES: readonly TicketCategory[] = ['billing', 'subscription_management', 'technical'];
export type TicketProduct = 'azure' | 'microsoft_365' | 'dynamics_365' | 'other';
export const TICKET_PRODUCTS: readonly TicketProduct[] = ['azure', 'microsoft_365', 'dynamics_365', 'other'];
export type TicketChannel = 'portal' | 'email' | 'phone' | 'api';
export const TICKET_CHANNELS: readonly TicketChannel[] = ['portal', 'email', 'phone', 'api'];
export type TicketStatus = 'new' | 'triaged' | 'in_progress' | 'waiting_on_customer' | 'escalated' | 'resolved' | 'closed';
export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated', 'resolved', 'closed'];
