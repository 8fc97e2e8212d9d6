import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import { SelectField, TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { fieldErrorText, problemText } from '../../ui/field-errors';
import { PRIORITIES, SETTABLE_STATUSES } from '../../ticket/ticket-values';
import { parseTags } from '../tag-list';

type BulkSet = Schemas['BulkSetDto'];
type Outcome = Schemas['BulkOutcomeDto'];
type Ticket = Schemas['TicketListItemDto'];

const UNCHANGED = '';
const UNASSIGN = 'none';

interface BulkBarProps {
  selected: readonly string[];
  onApplied: (outcome: Outcome) => void;
  onClear: () => void;
}

/**
 * The bulk action bar over the inbox: status, priority, assignee, queue, tags to add or remove, for
 * every selected ticket at once (POST /tickets/bulk). Each attempt carries one Idempotency-Key, so a
 * retry after a lost answer applies nothing twice; the answer says, per ticket, what failed and why.
 */
export function BulkBar({ selected, onApplied, onClear }: BulkBarProps) {
  const { t } = useTranslation();
  const { agents } = useDirectory();
  const [status, setStatus] = useState<NonNullable<BulkSet['status']> | ''>(UNCHANGED);
  const [priority, setPriority] = useState<NonNullable<BulkSet['priority']> | ''>(UNCHANGED);
  const [assignee, setAssignee] = useState(UNCHANGED);
  const [queue, setQueue] = useState('');
  const [addTags, setAddTags] = useState('');
  const [removeTags, setRemoveTags] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const bulk = api.useMutation('post', '/api/v1/tickets/bulk', {
    onSuccess: (outcome) => {
      setKey(null);
      onApplied(outcome);
    },
  });

  const set: BulkSet = {
    ...(status ? { status } : {}),
    ...(priority ? { priority } : {}),
    ...(assignee ? { assigneeId: assignee === UNASSIGN ? null : assignee } : {}),
    ...(queue.trim() ? { queue: queue.trim() } : {}),
    ...(parseTags(addTags).length ? { addTags: parseTags(addTags) } : {}),
    ...(parseTags(removeTags).length ? { removeTags: parseTags(removeTags) } : {}),
  };
  const nothing = Object.keys(set).length === 0;

  const apply = () => {
    // The same key while the same change is retried (a lost answer); a new one for the next change.
    const idempotencyKey = key ?? crypto.randomUUID();
    setKey(idempotencyKey);
    bulk.mutate({ params: { header: { 'Idempotency-Key': idempotencyKey } }, body: { ids: [...selected], set } });
  };
  const changed = <T,>(setter: (value: T) => void) => (value: T) => {
    setKey(null);
    setter(value);
  };

  return (
    <section className="bulk-bar" aria-labelledby="bulk-title">
      <h2 id="bulk-title">{t('bulk.title', { n: selected.length })}</h2>
      <form
        className="bulk-fields"
        onSubmit={(event) => {
          event.preventDefault();
          apply();
        }}
      >
        <SelectField
          label={t('ticket.status')}
          value={status}
          onChange={changed(setStatus)}
          options={[{ value: UNCHANGED, label: t('bulk.unchanged') }, ...SETTABLE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
        />
        <SelectField
          label={t('ticket.priority')}
          value={priority}
          onChange={changed(setPriority)}
          options={[{ value: UNCHANGED, label: t('bulk.unchanged') }, ...PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))]}
        />
        {agents.length > 0 && (
          <SelectField
            label={t('ticket.assignee')}
            value={assignee}
            onChange={changed(setAssignee)}
            options={[{ value: UNCHANGED, label: t('bulk.unchanged') }, { value: UNASSIGN, label: t('ticket.unassigned') }, ...agents.map((a) => ({ value: a.id, label: a.name }))]}
          />
        )}
        <TextField label={t('ticket.queue')} value={queue} onChange={changed(setQueue)} placeholder={t('bulk.unchanged')} />
        <TextField label={t('bulk.addTags')} value={addTags} onChange={changed(setAddTags)} placeholder="vip, outlook" />
        <TextField label={t('bulk.removeTags')} value={removeTags} onChange={changed(setRemoveTags)} placeholder="vip" />
        <div className="button-row">
          <Button type="submit" className="button primary" isDisabled={nothing || bulk.isPending}>
            {bulk.isPending ? t('bulk.applying') : t('bulk.apply', { n: selected.length })}
          </Button>
          <Button className="button" onPress={onClear}>
            {t('bulk.clear')}
          </Button>
        </div>
      </form>
      <ErrorMessage error={bulk.error} />
    </section>
  );
}

/**
 * How the last bulk change went: how many were changed, and each failure with its reason in the
 * reader's language from the problem's code (where a refused status change could go instead), or the
 * API's words for a problem without one (the failed stay selected).
 */
export function BulkResults({ outcome, tickets, onDismiss }: { outcome: Outcome; tickets: readonly Ticket[]; onDismiss: () => void }) {
  const { t, i18n } = useTranslation();
  const failed = outcome.results.filter((result) => !result.ok);
  const number = (id: string) => tickets.find((ticket) => ticket.id === id)?.number ?? id;
  return (
    <div className={`bulk-results${failed.length ? ' has-failures' : ''}`} role="status">
      <p>
        {t('bulk.outcome', { ok: outcome.succeeded, failed: outcome.failed })}
        {outcome.replayed && <span className="pill">{t('bulk.replayed')}</span>}
        <Button className="button small" onPress={onDismiss}>
          {t('common.close')}
        </Button>
      </p>
      {failed.length > 0 && (
        <ul aria-label={t('bulk.failures')}>
          {failed.map((result) => (
            <li key={result.id}>
              <strong>{number(result.id)}</strong> ({result.status}): {(result.problem && problemText(i18n, result.problem)) ?? result.problem?.detail ?? result.problem?.title}
              {result.problem?.errors?.map((e) => (
                <span key={e.field}>
                  {' '}
                  {fieldErrorText(i18n, e) === e.message ? (
                    <>
                      <code>{e.field}</code> {e.message}
                    </>
                  ) : (
                    fieldErrorText(i18n, e)
                  )}
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
