import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fetchClient, type Schemas } from '../../api/client';
import { pollWhile } from '../../api/poll-while';
import type { paths } from '../../api/schema';
import { useCapabilities } from '../../auth/session';
import { Forbidden } from '../../app/forbidden';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { DateTimeField, instant } from '../../ui/date-field';
import { useFieldErrors } from '../../ui/field-errors';
import { SelectField, TextField } from '../../ui/fields';
import { formatDateTime, formatNumber } from '../../ui/format';

type OutboundMessage = Schemas['OutboundMessageDto'];
type OutboundQuery = NonNullable<paths['/api/v1/outbound-messages']['get']['parameters']['query']>;
type StatusFilter = '' | NonNullable<OutboundQuery['status']>;

const LIST_KEY = 'outbound-messages';

/** A ticket number as customers read it: HD-000123. */
const ticketLabel = (n: number) => `HD-${String(n).padStart(6, '0')}`;

/**
 * Outgoing mail (global_admin, admin_agent): every notification the helpdesk sends, failed ones
 * first, with its attempts and last error; a failed one can be sent again (same Message-ID) once
 * its cause is fixed, after a confirmation, and its row then follows it until it is sent or fails.
 */
export function OutgoingMailPage() {
  const { t } = useTranslation();
  const { capabilities, ready } = useCapabilities();
  const [status, setStatus] = useState<StatusFilter>('failed');
  const [recipient, setRecipient] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query: OutboundQuery = {
    limit: 50,
    ...(status ? { status } : {}),
    ...(recipient.trim() ? { recipient: recipient.trim() } : {}),
    ...(instant(from) ? { from: instant(from) } : {}),
    ...(instant(to) ? { to: instant(to) } : {}),
  };
  const list = useInfiniteQuery({
    queryKey: [LIST_KEY, query],
    enabled: ready && capabilities.admin,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const { data, error } = await fetchClient.GET('/api/v1/outbound-messages', { signal, params: { query: { ...query, ...(pageParam ? { cursor: pageParam } : {}) } } });
      if (error !== undefined || !data) throw error;
      return data;
    },
    getNextPageParam: (last) => last.nextCursor,
  });
  const fieldError = useFieldErrors(list.error);
  if (!ready) return <Loading />;
  if (!capabilities.admin) return <Forbidden />;
  const messages = list.data?.pages.flatMap((page) => page.items) ?? [];
  const statuses: StatusFilter[] = ['failed', 'pending', 'sent', ''];

  return (
    <section className="page" aria-labelledby="outgoing-title">
      <h1 id="outgoing-title">{t('outgoing.title')}</h1>
      <p className="muted">{t('outgoing.intro')}</p>
      <form className="filters" role="search" aria-label={t('outgoing.filters')} onSubmit={(event) => event.preventDefault()}>
        <SelectField label={t('outgoing.status')} value={status} onChange={setStatus} options={statuses.map((s) => ({ value: s, label: s ? t(`outgoing.statuses.${s}`) : t('inbox.any') }))} />
        <TextField label={t('outgoing.recipient')} value={recipient} onChange={setRecipient} />
        <DateTimeField label={t('outgoing.from')} value={from} onChange={setFrom} error={fieldError('from', t('outgoing.from'))} />
        <DateTimeField label={t('outgoing.to')} value={to} onChange={setTo} error={fieldError('to', t('outgoing.to'))} />
      </form>
      <ErrorMessage error={list.error} shown={['from', 'to']} />
      {list.isPending ? (
        <Loading />
      ) : messages.length === 0 ? (
        <Empty>{status === 'failed' ? t('outgoing.noneFailed') : t('outgoing.none')}</Empty>
      ) : (
        <table className="outgoing-mail">
          <caption className="visually-hidden">{t('outgoing.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('outgoing.created')}</th>
              <th scope="col">{t('outgoing.kind')}</th>
              <th scope="col">{t('outgoing.ticket')}</th>
              <th scope="col">{t('outgoing.recipient')}</th>
              <th scope="col">{t('outgoing.subject')}</th>
              <th scope="col">{t('outgoing.status')}</th>
              <th scope="col">{t('outgoing.attempts')}</th>
              <th scope="col">{t('outgoing.lastError')}</th>
              <th scope="col">{t('outgoing.action')}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((message) => (
              <OutgoingRow key={message.id} message={message} />
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <Button className="button" isDisabled={list.isFetchingNextPage} onPress={() => void list.fetchNextPage()}>
          {t('outgoing.more')}
        </Button>
      )}
    </section>
  );
}

function OutgoingRow({ message }: { message: OutboundMessage }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const retry = api.useMutation('post', '/api/v1/outbound-messages/{id}/retry');
  // After a retry: read the mail again until it is sent or has failed again.
  const followed = api.useQuery(
    'get',
    '/api/v1/outbound-messages/{id}',
    { params: { path: { id: message.id } } },
    { enabled: retry.isSuccess, refetchInterval: pollWhile((mail: OutboundMessage) => mail.status === 'pending', 1000) },
  );
  const current = (retry.isSuccess ? (followed.data ?? retry.data) : undefined) ?? message;
  const settled = retry.isSuccess && followed.data !== undefined && followed.data.status !== 'pending';
  useEffect(() => {
    // The lists are out of date now, but this one keeps the row where it is (a failed-only list would drop it): refetched when next shown.
    if (settled) void queryClient.invalidateQueries({ queryKey: [LIST_KEY], refetchType: 'none' });
  }, [settled, queryClient]);
  const recipientLabel = `${current.recipient} — ${current.subject}`;
  return (
    <tr data-status={current.status}>
      <td>{formatDateTime(current.createdAt)}</td>
      <td>{t(`outgoing.kinds.${current.kind}`, { defaultValue: current.kind })}</td>
      <td>{current.ticketId && current.ticketNumber !== null ? <Link to="/tickets/$ticketId" params={{ ticketId: current.ticketId }}>{ticketLabel(current.ticketNumber)}</Link> : '—'}</td>
      <td>
        {current.recipient} <span className="muted">({current.locale})</span>
      </td>
      <td>{current.subject}</td>
      <td>
        <span className={`mail-status mail-status-${current.status}`} role={retry.isSuccess ? 'status' : undefined}>
          {t(`outgoing.statuses.${current.status}`)}
        </span>
        <br />
        <span className="muted">
          {current.status === 'sent' ? formatDateTime(current.sentAt) : current.status === 'failed' ? formatDateTime(current.failedAt) : ''}
          {current.retries > 0 ? ` · ${t('outgoing.retried', { count: current.retries })}` : ''}
        </span>
      </td>
      <td>{formatNumber(current.attempts)}</td>
      <td className="mail-error">{current.lastError ?? '—'}</td>
      <td>
        {current.status === 'failed' && !retry.isPending && (
          <Button className="button small" aria-label={t('outgoing.retryFor', { what: recipientLabel })} onPress={() => setConfirming(true)}>
            {t('outgoing.retry')}
          </Button>
        )}
        {retry.isPending && (
          <p className="muted" role="status">
            {t('outgoing.retrying')}
          </p>
        )}
        <ErrorMessage error={retry.error ?? followed.error} />
        <ConfirmDialog
          isOpen={confirming}
          onOpenChange={setConfirming}
          title={t('outgoing.confirmTitle')}
          confirmLabel={t('outgoing.retry')}
          onConfirm={() => {
            retry.reset();
            retry.mutate({ params: { path: { id: message.id } } });
          }}
        >
          <p>{t('outgoing.confirmBody', { recipient: current.recipient, subject: current.subject })}</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}
