import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { problemOf } from '../../api/problem';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { formatDateTime, formatDay, formatNumber } from '../../ui/format';
import { usePortalCustomer } from '../portal-session';

/** The billing views as libs/billing gives them to a customer (their OpenAPI schema is not written out). */
interface Money {
  amount: string;
  currency: string;
}
interface Account {
  currency: string;
  paymentTermsDays: number;
  status: { state: 'current' | 'overdue' | 'suspended'; overdue: { amount: Money; days: number; invoices: number } | null; outstanding: Money; suspendedProducts: string[] };
}
interface Invoice {
  number: string;
  issuedOn: string;
  dueOn: string;
  total: Money;
  balance: Money;
  status: string;
  overdue: boolean;
  daysOverdue: number;
}
interface Notice {
  id: string;
  kind: 'remind' | 'final_notice' | 'suspension' | 'restoration';
  subject: string;
  body: string;
  amountDue: Money;
  createdAt: string;
}
interface Suspension {
  id: string;
  products: string[] | 'all';
  reason: string;
  status: string;
  createdAt: string;
}

const money = (m: Money, language: string) => {
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency: m.currency }).format(Number(m.amount));
  } catch {
    return `${m.amount} ${m.currency}`;
  }
};

/** Billing status, invoices, payment notices and suspensions of the customer's own account. */
export function BillingPage() {
  const { t, i18n } = useTranslation();
  const me = usePortalCustomer();
  const customer = { params: { path: { id: me.customerId } } };
  const account = api.useQuery('get', '/api/v1/customers/{id}/billing', customer, { retry: false });
  const invoices = api.useQuery('get', '/api/v1/invoices', {}, { enabled: Boolean(account.data) });
  // The notices in the language the person reads the portal in, not only the account's.
  const language = i18n.language.startsWith('es') ? 'es' : 'en';
  const notices = api.useQuery('get', '/api/v1/customers/{id}/billing/notices', { params: { path: { id: me.customerId }, query: { locale: language } } }, { enabled: Boolean(account.data) });
  const suspensions = api.useQuery('get', '/api/v1/customers/{id}/suspensions', customer, { enabled: Boolean(account.data) });

  // The API documents no error bodies, so the client types errors as never: read them as unknown.
  const failure: unknown = account.error;
  if (account.isPending && !failure) return <Loading />;
  if (failure) {
    return (
      <section className="page portal-page" aria-labelledby="billing-title">
        <h1 id="billing-title">{t('portal.billing.title')}</h1>
        {problemOf(failure)?.status === 404 ? <Empty>{t('portal.billing.noAccount')}</Empty> : <ErrorMessage error={failure} />}
      </section>
    );
  }
  const view = account.data as unknown as Account;
  const invoiceList = ((invoices.data as unknown as { items?: Invoice[] } | undefined)?.items ?? []) as Invoice[];
  const noticeList = (notices.data as unknown as Notice[] | undefined) ?? [];
  const suspensionData = suspensions.data as unknown as Suspension[] | { items: Suspension[] } | undefined;
  const suspensionList = Array.isArray(suspensionData) ? suspensionData : (suspensionData?.items ?? []);
  const { status } = view;
  const days = (count: number) => formatNumber(count, { style: 'unit', unit: 'day', unitDisplay: 'long' });
  const products = (list: string[] | 'all') => (list === 'all' ? t('portal.billing.allProducts') : list.map((p) => t(`product.${p}`)).join(', '));

  return (
    <section className="page portal-page" aria-labelledby="billing-title">
      <h1 id="billing-title">{t('portal.billing.title')}</h1>
      <section className="panel" aria-labelledby="billing-status-title">
        <h2 id="billing-status-title">{t('portal.billing.status')}</h2>
        <p className={`billing billing-${status.state} billing-state`}>{t(`billing.${status.state}`)}</p>
        <dl className="facts">
          <div>
            <dt>{t('portal.billing.outstanding')}</dt>
            <dd>{money(status.outstanding, i18n.language)}</dd>
          </div>
          {status.overdue && (
            <div>
              <dt>{t('portal.billing.overdue')}</dt>
              <dd>{t('billing.overdueBy', { amount: money(status.overdue.amount, i18n.language), days: status.overdue.days })}</dd>
            </div>
          )}
          {status.suspendedProducts.length > 0 && (
            <div>
              <dt>{t('portal.billing.suspendedProducts')}</dt>
              <dd>{products(status.suspendedProducts)}</dd>
            </div>
          )}
          <div>
            <dt>{t('portal.billing.paymentTerms')}</dt>
            <dd>{days(view.paymentTermsDays)}</dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="invoices-title">
        <h2 id="invoices-title">{t('portal.billing.invoices')}</h2>
        {invoiceList.length === 0 ? (
          <Empty>{t('portal.billing.noInvoices')}</Empty>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('portal.billing.number')}</th>
                <th scope="col">{t('portal.billing.issued')}</th>
                <th scope="col">{t('portal.billing.due')}</th>
                <th scope="col">{t('portal.billing.total')}</th>
                <th scope="col">{t('portal.billing.balance')}</th>
                <th scope="col">{t('ticket.status')}</th>
              </tr>
            </thead>
            <tbody>
              {invoiceList.map((invoice) => (
                <tr key={invoice.number} className={invoice.overdue ? 'overdue' : undefined}>
                  <th scope="row">{invoice.number}</th>
                  <td>
                    <time dateTime={invoice.issuedOn}>{formatDay(invoice.issuedOn)}</time>
                  </td>
                  <td>
                    <time dateTime={invoice.dueOn}>{formatDay(invoice.dueOn)}</time>
                  </td>
                  <td>{money(invoice.total, i18n.language)}</td>
                  <td>{money(invoice.balance, i18n.language)}</td>
                  <td>{invoice.overdue ? t('portal.billing.overdueFor', { duration: days(invoice.daysOverdue) }) : t(`portal.billing.invoiceStatus.${invoice.status}`, { defaultValue: invoice.status })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="notices-title">
        <h2 id="notices-title">{t('portal.billing.notices')}</h2>
        {noticeList.length === 0 ? (
          <Empty>{t('portal.billing.noNotices')}</Empty>
        ) : (
          <ul className="notices">
            {noticeList.map((notice) => (
              <li key={notice.id}>
                <strong>{notice.subject}</strong> <time dateTime={notice.createdAt}>{formatDateTime(notice.createdAt)}</time>
                <p className="prose">{notice.body}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="suspensions-title">
        <h2 id="suspensions-title">{t('portal.billing.suspensions')}</h2>
        {suspensionList.length === 0 ? (
          <Empty>{t('portal.billing.noSuspensions')}</Empty>
        ) : (
          <ul className="notices">
            {suspensionList.map((s) => (
              <li key={s.id}>
                <strong>{products(s.products)}</strong> · {t(`portal.billing.suspensionStatus.${s.status}`, { defaultValue: s.status })} · <time dateTime={s.createdAt}>{formatDateTime(s.createdAt)}</time>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
