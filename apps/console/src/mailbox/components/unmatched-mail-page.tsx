import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api } from '../../api/client';
import { pollWhile } from '../../api/poll-while';
import type { Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import { Button } from '../../ui/button';
import { Empty, ErrorMessage, QueryState } from '../../ui/feedback';
import { SelectField } from '../../ui/fields';
import { formatDateTime, formatNumber } from '../../ui/format';

type InboundMessage = Schemas['InboundMessageDto'];

const LIST = ['get', '/api/v1/inbound-email'] as const;

/**
 * Mail no customer could be matched to (an unknown sender): the queue agents file from. Filing a
 * message hands it back to the worker for the chosen customer (as if that customer had sent it);
 * the page follows the message until the worker has made it a ticket (or a comment of one), then
 * opens that ticket.
 */
export function UnmatchedMailPage() {
  const { t } = useTranslation();
  const messages = api.useQuery('get', '/api/v1/inbound-email', { params: { query: { status: 'unmatched', limit: 200 } } });
  return (
    <section className="page" aria-labelledby="unmatched-title">
      <h1 id="unmatched-title">{t('mailbox.title')}</h1>
      <p className="muted">{t('mailbox.intro')}</p>
      <QueryState query={messages}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('mailbox.none')}</Empty>
          ) : (
            <table className="unmatched-mail">
              <thead>
                <tr>
                  <th scope="col">{t('mailbox.received')}</th>
                  <th scope="col">{t('mailbox.from')}</th>
                  <th scope="col">{t('mailbox.subject')}</th>
                  <th scope="col">{t('mailbox.why')}</th>
                  <th scope="col">{t('mailbox.file')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((message) => (
                  <UnmatchedRow key={message.id} message={message} />
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </section>
  );
}

function UnmatchedRow({ message }: { message: InboundMessage }) {
  const { t } = useTranslation();
  const { customers } = useDirectory();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [customerId, setCustomerId] = useState('');
  const assign = api.useMutation('post', '/api/v1/inbound-email/{id}/assign');
  // After filing: the worker processes the message again; re-read it until it has an outcome.
  const filed = api.useQuery(
    'get',
    '/api/v1/inbound-email/{id}',
    { params: { path: { id: message.id } } },
    { enabled: assign.isSuccess, refetchInterval: pollWhile((mail: InboundMessage) => mail.status === 'received', 500) },
  );
  const outcome = assign.isSuccess ? filed.data : undefined;
  useEffect(() => {
    if (!outcome || outcome.status === 'received') return;
    void queryClient.invalidateQueries({ queryKey: [...LIST] });
    if (outcome.ticketId) void navigate({ to: '/tickets/$ticketId', params: { ticketId: outcome.ticketId } });
  }, [outcome, queryClient, navigate]);
  const filing = assign.isPending || (assign.isSuccess && (!outcome || outcome.status === 'received'));
  const subject = message.subject || t('mailbox.noSubject');
  return (
    <tr>
      <td>{formatDateTime(message.receivedAt)}</td>
      <td>{message.from ?? '—'}</td>
      <td>
        {subject} <span className="muted">({t('mailbox.size', { kb: formatNumber(Math.max(1, Math.round(message.size / 1024))) })})</span>
      </td>
      <td>{noteText(t, message)}</td>
      <td>
        <div className="unmatched-file">
          <SelectField
            label={t('mailbox.customerFor', { subject })}
            value={customerId}
            options={[{ value: '', label: t('mailbox.chooseCustomer') }, ...customers.map((c) => ({ value: c.id, label: c.name }))]}
            onChange={setCustomerId}
            isDisabled={filing || assign.isSuccess}
          />
          <Button className="button small" isDisabled={!customerId || filing || assign.isSuccess} onPress={() => assign.mutate({ params: { path: { id: message.id } }, body: { customerId } })}>
            {t('mailbox.fileAsTicket')}
          </Button>
        </div>
        {filing && (
          <p className="muted" role="status">
            {t('mailbox.filing')}
          </p>
        )}
        {outcome && !outcome.ticketId && outcome.status !== 'received' && <p role="alert">{t('mailbox.notFiled', { status: outcome.status })}</p>}
        <ErrorMessage error={assign.error ?? filed.error} />
      </td>
    </tr>
  );
}

/** The API's note in the reader's language (its English `note` for a code this console does not know). */
function noteText(t: TFunction, message: InboundMessage): string {
  const why = message.noteWhy;
  if (!why) return message.note ?? '—';
  switch (why.code) {
    case 'no_customer_match':
      return t('mailbox.notes.no_customer_match', { sender: why.params.sender ?? '—' });
    case 'no_sender':
      return t('mailbox.notes.no_sender');
    case 'unparseable':
      return t('mailbox.notes.unparseable', { error: why.params.error ?? '' });
    default:
      return message.note ?? why.code;
  }
}
