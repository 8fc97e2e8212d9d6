import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Empty, QueryState } from '../../ui/feedback';

/** Every customer, each opening its page (contacts and timeline). */
export function CustomersPage() {
  const { t } = useTranslation();
  const customers = api.useQuery('get', '/api/v1/customers');
  return (
    <section className="page" aria-labelledby="customers-title">
      <h1 id="customers-title">{t('customers.title')}</h1>
      <QueryState query={customers}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('customers.none')}</Empty>
          ) : (
            <ul className="item-list customers-list">
              {list.map((customer) => (
                <li key={customer.id}>
                  <Link to="/customers/$customerId" params={{ customerId: customer.id }}>
                    {customer.name}
                  </Link>{' '}
                  <span className="muted">{customer.domains.join(', ')}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}
