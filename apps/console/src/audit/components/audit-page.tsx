import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { fetchClient, type Schemas } from '../../api/client';
import type { paths } from '../../api/schema';
import { useDirectory } from '../../directory/hooks/use-directory';
import { DateTimeField, instant } from '../../ui/date-field';
import { useFieldErrors } from '../../ui/field-errors';
import { SelectField } from '../../ui/fields';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { formatDateTime } from '../../ui/format';
import { auditDiff } from '../audit-diff';

type Entry = Schemas['AuditEntryDto'];
type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;

/** The entities the API audits (what its contexts record). */
const ENTITIES = [
  'agent',
  'api_token',
  'customer',
  'customer_contact',
  'support_plan',
  'triage_rule',
  'known_issue',
  'escalation_tier',
  'entitlements',
  'escalation_policy',
  'macro',
  'saved_view',
  'collections_policy',
  'dunning_pause',
  'provisioning_settings',
  'billing_suspension',
  'notification_template',
  'outbound_message',
];

/**
 * The audit log (global_admin, admin_agent): who changed which configuration when, newest first,
 * filtered by entity, actor and time range, each entry opening to its before/after diff.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const { agents, agentName } = useDirectory();
  const [entity, setEntity] = useState('');
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query: AuditQuery = { limit: 50, ...(entity ? { entity } : {}), ...(actor ? { actor } : {}), ...(instant(from) ? { from: instant(from) } : {}), ...(instant(to) ? { to: instant(to) } : {}) };
  const audit = useInfiniteQuery({
    queryKey: ['audit', query],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const { data, error } = await fetchClient.GET('/api/v1/audit', { signal, params: { query: { ...query, ...(pageParam ? { cursor: pageParam } : {}) } } });
      if (error !== undefined || !data) throw error;
      return data;
    },
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];
  const fieldError = useFieldErrors(audit.error);

  return (
    <section className="page settings-page" aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <form className="filters" role="search" aria-label={t('audit.filters')} onSubmit={(event) => event.preventDefault()}>
        <SelectField label={t('audit.entity')} value={entity} onChange={setEntity} options={[{ value: '', label: t('inbox.any') }, ...ENTITIES.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))]} />
        {agents.length > 0 && (
          <SelectField label={t('audit.actor')} value={actor} onChange={setActor} options={[{ value: '', label: t('inbox.any') }, ...agents.map((a) => ({ value: a.id, label: a.name }))]} />
        )}
        <DateTimeField label={t('audit.from')} value={from} onChange={setFrom} error={fieldError('from', t('audit.from'))} />
        <DateTimeField label={t('audit.to')} value={to} onChange={setTo} error={fieldError('to', t('audit.to'))} />
      </form>
      <ErrorMessage error={audit.error} shown={['from', 'to']} />
      {audit.isPending ? (
        <Loading />
      ) : entries.length === 0 ? (
        <Empty>{t('audit.empty')}</Empty>
      ) : (
        <ol className="audit-list">
          {entries.map((entry) => (
            <AuditEntry key={entry.id} entry={entry} actorName={entry.actor.kind === 'staff' ? (agentName(entry.actor.id) ?? t('timeline.staff')) : t(`timeline.${entry.actor.kind}`)} />
          ))}
        </ol>
      )}
      {audit.hasNextPage && (
        <Button className="button" isDisabled={audit.isFetchingNextPage} onPress={() => void audit.fetchNextPage()}>
          {t('audit.more')}
        </Button>
      )}
    </section>
  );
}

function AuditEntry({ entry, actorName }: { entry: Entry; actorName: string }) {
  const { t } = useTranslation();
  const rows = auditDiff(entry.before, entry.after);
  return (
    <li className="audit-entry">
      <details>
        <summary>
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> <strong>{actorName}</strong> {t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}{' '}
          <span className="audit-entity">{t(`audit.entities.${entry.entity}`, { defaultValue: entry.entity })}</span> <code>{entry.entityId.slice(0, 8)}</code>
          <span className="muted"> · {t('audit.changedFields', { n: rows.filter((row) => row.changed).length })}</span>
        </summary>
        <table className="audit-diff">
          <caption className="visually-hidden">{t('audit.diffCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.field')}</th>
              <th scope="col">{t('audit.before')}</th>
              <th scope="col">{t('audit.after')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.field} className={row.changed ? 'changed' : undefined}>
                <th scope="row">{row.field}</th>
                <td>
                  <code>{row.before}</code>
                </td>
                <td>
                  <code>{row.after}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </li>
  );
}
