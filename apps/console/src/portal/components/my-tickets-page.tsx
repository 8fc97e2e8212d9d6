import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Empty, QueryState } from '../../ui/feedback';
import { formatDateTime } from '../../ui/format';
import { PortalLink } from './portal-link';
import { PublicStatus } from './public-status';

/** The customer's tickets, newest first, with their public status. */
export function MyTicketsPage() {
  const { t } = useTranslation();
  const tickets = api.useQuery('get', '/api/v1/tickets', { params: { query: { limit: 100 } } });
  return (
    <section className="page portal-page" aria-labelledby="my-tickets-title">
      <div className="page-head">
        <h1 id="my-tickets-title">{t('portal.tickets.title')}</h1>
        <PortalLink to="/tickets/new" className="button primary">
          {t('portal.nav.newTicket')}
        </PortalLink>
      </div>
      <QueryState query={tickets}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('portal.tickets.none')}</Empty>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('portal.tickets.number')}</th>
                  <th scope="col">{t('portal.tickets.subject')}</th>
                  <th scope="col">{t('ticket.status')}</th>
                  <th scope="col">{t('portal.tickets.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((ticket) => (
                  <tr key={ticket.id}>
                    <td>{ticket.number}</td>
                    <td>
                      <PortalLink to="/tickets/$ticketId" params={{ ticketId: ticket.id }}>
                        {ticket.subject}
                      </PortalLink>
                    </td>
                    <td>
                      <PublicStatus status={ticket.status} />
                    </td>
                    <td>{formatDateTime(ticket.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </section>
  );
}
