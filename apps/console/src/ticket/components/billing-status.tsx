import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';

/** The customer's billing status as the API gives it to staff on a ticket (null: no billing account). */
export function BillingStatus({ billing }: { billing: Schemas['TicketBillingDto'] | null }) {
  const { t } = useTranslation();
  if (!billing) return <>{t('billing.none')}</>;
  const { state, overdue, suspendedProducts } = billing;
  return (
    <span className={`billing billing-${state}`}>
      {t(`billing.${state}`)}
      {overdue && ` · ${t('billing.overdueBy', { amount: `${overdue.amount.amount} ${overdue.amount.currency}`, days: overdue.days })}`}
      {suspendedProducts.length > 0 && ` · ${suspendedProducts.map((p) => t(`product.${p}`)).join(', ')}`}
    </span>
  );
}
