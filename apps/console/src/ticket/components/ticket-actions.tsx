import { lazy, Suspense, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import { SelectField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { useTicketChanges } from '../hooks/use-ticket';
import { PRIORITIES, SETTABLE_STATUSES } from '../ticket-values';

/** The escalation dialog (React Aria's Modal, the routing preview) loads when it is first opened: a ticket's first screen does not need it. */
const EscalateDialog = lazy(() => import('./escalate-dialog').then((m) => ({ default: m.EscalateDialog })));

type Ticket = Schemas['TicketResponseDto'];

/** Status, priority and assignee changes (each saved at once), triage again, escalate. */
export function TicketActions({ ticket, onChanged }: { ticket: Ticket; onChanged: () => void }) {
  const { t } = useTranslation();
  const { agents } = useDirectory();
  const [escalating, setEscalating] = useState(false);
  const { path, update, retriage } = useTicketChanges(ticket.id, onChanged);
  const statuses = SETTABLE_STATUSES.includes(ticket.status) ? SETTABLE_STATUSES : [ticket.status, ...SETTABLE_STATUSES];

  return (
    <section className="panel" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('actions.title')}</h2>
      <SelectField
        label={t('ticket.status')}
        value={ticket.status}
        isDisabled={update.isPending}
        onChange={(status) => update.mutate({ ...path, body: { status } })}
        options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      <SelectField
        label={t('ticket.priority')}
        value={ticket.priority}
        isDisabled={update.isPending}
        onChange={(priority) => update.mutate({ ...path, body: { priority } })}
        options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
      />
      {agents.length > 0 && (
        <SelectField
          label={t('ticket.assignee')}
          value={ticket.assigneeId ?? ''}
          isDisabled={update.isPending}
          onChange={(assigneeId) => update.mutate({ ...path, body: { assigneeId: assigneeId || null } })}
          options={[{ value: '', label: t('ticket.unassigned') }, ...agents.map((a) => ({ value: a.id, label: a.name }))]}
        />
      )}
      <ErrorMessage error={update.error ?? retriage.error} />
      <div className="button-row">
        <Button className="button" onPress={() => retriage.mutate(path)} isDisabled={retriage.isPending}>
          {t('actions.retriage')}
        </Button>
        <Button className="button danger" onPress={() => setEscalating(true)} isDisabled={ticket.status === 'escalated'}>
          {t('actions.escalate')}
        </Button>
      </div>
      {escalating && (
        <Suspense fallback={null}>
          <EscalateDialog ticket={ticket} isOpen={escalating} onOpenChange={setEscalating} onEscalated={onChanged} />
        </Suspense>
      )}
    </section>
  );
}
