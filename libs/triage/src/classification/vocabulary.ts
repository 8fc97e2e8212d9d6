import type { ClassifiedProduct } from './classification';

/**
 * The built-in bilingual (English/Spanish) keyword lists. Matching is whole-word and accent-
 * insensitive (see text-normalizer), so a list names every inflection it means to catch:
 * "factura" does not catch "facturación".
 */

export const BILLING_WORDS: readonly string[] = [
  'invoice', 'invoices', 'factura', 'facturas', 'facturación',
  'payment', 'payments', 'pago', 'pagos', 'refund', 'refunds', 'reembolso', 'reembolsos',
  'charge', 'charges', 'charged', 'cargo', 'cargos', 'credit card', 'credit cards', 'tarjeta', 'tarjetas', 'billing',
];

export const SUBSCRIPTION_WORDS: readonly string[] = [
  'license', 'licenses', 'licence', 'licences', 'licencia', 'licencias', 'seat', 'seats',
  'subscription', 'subscriptions', 'suscripción', 'suscripciones',
  'renew', 'renewal', 'renovar', 'renovación', 'cancel', 'cancellation', 'cancelar', 'cancelación',
  'upgrade', 'downgrade', 'tenant',
];

/** In tie-break order: on equal hits the product listed first wins. */
export const PRODUCT_WORDS: ReadonlyArray<{ product: Exclude<ClassifiedProduct, 'other'>; words: readonly string[] }> = [
  {
    product: 'azure',
    words: ['azure', 'vm', 'vms', 'virtual machine', 'máquina virtual', 'aks', 'blob', 'storage account', 'app service', 'entra', 'azure ad'],
  },
  {
    product: 'microsoft_365',
    words: ['microsoft 365', 'office 365', 'office', 'm365', 'o365', 'teams', 'exchange', 'outlook', 'sharepoint', 'onedrive'],
  },
  {
    product: 'dynamics_365',
    words: ['dynamics', 'dynamics 365', 'crm', 'business central', 'd365', 'dataverse'],
  },
];

/** A service that is down or unreachable: raises a priority suggestion. */
export const OUTAGE_WORDS: readonly string[] = [
  'down', 'outage', 'caído', 'caida', 'no funciona', 'not working', 'cannot access', 'no podemos acceder',
];

/** Everyone is affected: turns an outage suggestion into P1. */
export const EVERYONE_WORDS: readonly string[] = [
  'all users', 'everyone', 'todos los usuarios', 'nadie puede', 'nobody can', 'toda la empresa', 'entire company',
];
