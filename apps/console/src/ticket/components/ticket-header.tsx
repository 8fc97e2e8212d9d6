import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { memo, useDeferredValue, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import { formatDateTime } from '../../ui/format';
import { useTimeZone } from '../../ui/time-zone';
import { useNow } from '../../ui/use-now';
import { supportPlansQuery, useBusinessCalendars } from '../hooks/use-business-calendars';
import { BillingStatus } from './billing-status';
import { SlaBadge } from './sla-badge';

/** Memoised: the page draws again for each of its answers (comments, files, links); the header only when its ticket or its own data change. */
export const TicketHeader = memo(function TicketHeader({ ticket }: { ticket: Schemas['TicketResponseDto'] }) {
  const { t } = useTranslation();
  const { customers, customerName, agentName } = useDirectory();
  const now = useNow();
  // The dates: in the server render's zone while React takes its HTML over, then in the browser's.
  const zone = useTimeZone();
  const calendarFor = useBusinessCalendars();
  // The countdown in business time (the plan's calendar built and its minutes counted, with Luxon) is
  // drawn right after the page's first paint: the first drawing shows the due time, as before the
  // calendar's chunk is in, and the page's other parts do not wait for the count.
  const counting = useDeferredValue(true, false);
  const customer = customers.find((c) => c.id === ticket.customerId);
  // The plan from the list the SLA calendars already load (one request for every plan, started with the page's data).
  const plans = useQuery(supportPlansQuery());
  const plan = { data: customer ? plans.data?.find((p) => p.id === customer.supportPlanId) : undefined };

  const facts: Array<[label: string, value: ReactNode]> = [
    ['ticket.status', <span className={`status status-${ticket.status}`}>{t(`status.${ticket.status}`)}</span>],
    ['ticket.priority', <span className={`priority priority-${ticket.priority}`}>{t(`priority.${ticket.priority}`)}</span>],
    ['ticket.sla', <SlaBadge ticket={ticket} now={now} zone={zone} calendar={counting ? calendarFor(ticket.customerId) : null} />],
    ['ticket.queue', ticket.queue ?? '—'],
    ['ticket.assignee', agentName(ticket.assigneeId) ?? t('ticket.unassigned')],
    [
      'ticket.customer',
      <Link to="/customers/$customerId" params={{ customerId: ticket.customerId }}>
        {customerName(ticket.customerId)}
      </Link>,
    ],
    // Staff see the customer's billing status (customers' reads carry no `billing`).
    ...(ticket.billing !== undefined ? [['ticket.billing', <BillingStatus billing={ticket.billing} />] as [string, ReactNode]] : []),
    ...(ticket.disputedInvoice ? [['ticket.disputedInvoice', ticket.disputedInvoice] as [string, ReactNode]] : []),
    ['ticket.plan', plan.data?.name ?? '—'],
    ['ticket.requester', `${ticket.requester.name} <${ticket.requester.email}>`],
    ['ticket.category', ticket.category ? t(`category.${ticket.category}`) : '—'],
    ['ticket.product', ticket.product ? t(`product.${ticket.product}`) : '—'],
    ['ticket.channel', t(`channel.${ticket.channel}`)],
    ['ticket.created', formatDateTime(ticket.createdAt, zone)],
    ...(ticket.tags.length > 0 ? [['ticket.tags', ticket.tags.join(', ')] as [string, ReactNode]] : []),
  ];

  return (
    <header className="ticket-header">
      <h1 id="ticket-title">
        <span className="ticket-number">{ticket.number}</span> {ticket.subject}
      </h1>
      {ticket.channelNotInPlan && (
        <p className="channel-flag" role="note">
          {t('ticket.channelNotInPlan', { channel: t(`channel.${ticket.channel}`), plan: plan.data?.name ?? '—' })}
        </p>
      )}
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
});
