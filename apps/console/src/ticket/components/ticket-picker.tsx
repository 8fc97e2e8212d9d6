import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';

type Ticket = Schemas['TicketListItemDto'];

/** Finds another ticket by number or words (the list route's full-text search), optionally of one customer. */
export function TicketPicker({ label, exclude, customerId, onPick }: { label: string; exclude: string; customerId?: string; onPick: (ticket: Ticket) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const query = q.trim();
  const found = api.useQuery('get', '/api/v1/tickets', { params: { query: { q: query, limit: 6, ...(customerId ? { customerId } : {}) } } }, { enabled: query.length >= 2 });
  const tickets = (found.data?.items ?? []).filter((ticket) => ticket.id !== exclude);

  return (
    <div className="ticket-picker">
      <TextField label={label} value={q} onChange={setQ} placeholder={t('relations.searchPlaceholder')} />
      <ErrorMessage error={found.error} />
      {query.length >= 2 && found.data && (
        <ul className="picker-results" aria-label={t('relations.results')}>
          {tickets.length === 0 && <li className="empty">{t('relations.noResults')}</li>}
          {tickets.map((ticket) => (
            <li key={ticket.id}>
              <Button className="button small" onPress={() => onPick(ticket)}>
                {ticket.number} · {ticket.subject}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
