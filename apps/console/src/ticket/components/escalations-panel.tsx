import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { useCapabilities } from '../../auth/session';
import { TextField } from '../../ui/fields';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { formatDateTime } from '../../ui/format';
import { RoutingDecision } from './routing-decision';

type Escalation = Schemas['EscalationResponseDto'];

/** While a delivery is in flight its attempts change by the second; after that the stream and the page's own changes refresh it. */
const DELIVERING: ReadonlySet<Escalation['status']> = new Set(['queued']);
const DELIVERY_POLL_MS = 2000;

/** The ticket's escalations (from its `escalated` events), each with its delivery attempts and vendor case. */
export function EscalationsPanel({ events, onChanged }: { events: Schemas['TicketEventDto'][]; onChanged: () => void }) {
  const { t } = useTranslation();
  const ids = [...new Set(events.filter((e) => e.type === 'escalated').map((e) => String((e.data as { escalationId?: unknown }).escalationId)))].reverse();
  if (ids.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="escalations-title">
      <h2 id="escalations-title">{t('escalations.title')}</h2>
      {ids.map((id) => (
        <EscalationCard key={id} id={id} onChanged={onChanged} />
      ))}
    </section>
  );
}

function EscalationCard({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const { capabilities } = useCapabilities();
  const path = { params: { path: { id } } };
  const escalation = api.useQuery('get', '/api/v1/escalations/{id}', path, { refetchInterval: (query) => (query.state.data && DELIVERING.has(query.state.data.status) ? DELIVERY_POLL_MS : false) });
  const retry = api.useMutation('post', '/api/v1/escalations/{id}/retry', { onSuccess: () => void escalation.refetch().then(onChanged) });
  if (escalation.isError) return <ErrorMessage error={escalation.error} />;
  if (!escalation.data) return <Loading />;
  const e = escalation.data;

  return (
    <div className="escalation">
      <p>
        <strong>{t(`tier.${e.tier}`)}</strong> · <span className={`escalation-status status-${e.status}`}>{t(`escalationStatus.${e.status}`)}</span>
        {e.vendorCaseId && (
          <>
            {' '}
            · {t('escalations.vendorCase')}: <code>{e.vendorCaseId}</code>
          </>
        )}
      </p>
      <p className="muted">{e.reason}</p>
      <details>
        <summary>{t('escalations.routing')}</summary>
        <RoutingDecision routing={e.routing} />
      </details>
      {e.lastError && <p className="error-text">{t('escalations.lastError', { error: e.lastError })}</p>}
      <table className="attempts">
        <caption>{t('escalations.attempts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('escalations.at')}</th>
            <th scope="col">{t('escalations.http')}</th>
            <th scope="col">{t('escalations.result')}</th>
            <th scope="col">{t('escalations.duration')}</th>
          </tr>
        </thead>
        <tbody>
          {(e.attempts ?? []).map((a) => (
            <tr key={a.deliveryId + a.at}>
              <td>{formatDateTime(a.at)}</td>
              <td>{a.httpStatus ?? '—'}</td>
              <td>{a.error ?? t('escalations.delivered')}</td>
              <td>{a.durationMs} ms</td>
            </tr>
          ))}
          {(e.attempts ?? []).length === 0 && (
            <tr>
              <td colSpan={4}>{t('escalations.noAttempts')}</td>
            </tr>
          )}
        </tbody>
      </table>
      {e.status === 'failed' && capabilities.admin && (
        <Button className="button" onPress={() => retry.mutate(path)} isDisabled={retry.isPending}>
          {t('escalations.retry')}
        </Button>
      )}
      <ErrorMessage error={retry.error} />
      {e.status === 'awaiting_vendor_case' && capabilities.worksTickets && <VendorCaseForm id={id} onSaved={() => void escalation.refetch().then(onChanged)} />}
    </div>
  );
}

/** A manual tier: the agent files the case with the vendor and records its id here. */
function VendorCaseForm({ id, onSaved }: { id: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const [caseId, setCaseId] = useState('');
  const save = api.useMutation('patch', '/api/v1/escalations/{id}', { onSuccess: onSaved });
  return (
    <Form
      onSubmit={(event) => {
        event.preventDefault();
        if (caseId.trim()) save.mutate({ params: { path: { id } }, body: { vendorCaseId: caseId.trim() } });
      }}
    >
      <TextField label={t('escalations.recordCase')} value={caseId} onChange={setCaseId} />
      <ErrorMessage error={save.error} />
      <Button type="submit" className="button" isDisabled={save.isPending || !caseId.trim()}>
        {t('common.save')}
      </Button>
    </Form>
  );
}
