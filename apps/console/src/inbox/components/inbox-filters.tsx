import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { useDirectory } from '../../directory/hooks/use-directory';
import { SelectField, TextField } from '../../ui/fields';
import { CATEGORIES, PRIORITIES, STATUSES } from '../../ticket/ticket-values';
import { SORTS } from '../../ticket/ticket-values';
import type { InboxFilters as Filters } from '../inbox-search';

/** The list route's filters, its full-text search and its sort; `/` focuses the queue box. */
export function InboxFilters({ filters, queueRef }: { filters: Filters; queueRef: React.Ref<HTMLInputElement & HTMLTextAreaElement> }) {
  const { t } = useTranslation();
  const navigate = useNavigate({ from: '/' });
  const { customers, agents } = useDirectory();
  const set = (key: keyof Filters, value: string) => void navigate({ search: (prev) => ({ ...prev, [key]: value || undefined }) });
  const any = { value: '', label: t('inbox.any') };

  return (
    <form className="filters" role="search" aria-label={t('inbox.filters')} onSubmit={(event) => event.preventDefault()}>
      <TextField label={t('inbox.search')} value={filters.q ?? ''} onChange={(value) => set('q', value)} placeholder={t('inbox.searchPlaceholder')} />
      <TextField label={t('ticket.queue')} value={filters.queue ?? ''} onChange={(value) => set('queue', value.trim())} inputRef={queueRef} placeholder={t('inbox.queuePlaceholder')} />
      <SelectField label={t('ticket.status')} value={filters.status ?? ''} onChange={(v) => set('status', v)} options={[any, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]} />
      <SelectField label={t('ticket.priority')} value={filters.priority ?? ''} onChange={(v) => set('priority', v)} options={[any, ...PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))]} />
      <SelectField label={t('ticket.category')} value={filters.category ?? ''} onChange={(v) => set('category', v)} options={[any, ...CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))]} />
      <SelectField label={t('ticket.customer')} value={filters.customerId ?? ''} onChange={(v) => set('customerId', v)} options={[any, ...customers.map((c) => ({ value: c.id, label: c.name }))]} />
      {agents.length > 0 && (
        <SelectField label={t('ticket.assignee')} value={filters.assigneeId ?? ''} onChange={(v) => set('assigneeId', v)} options={[any, ...agents.map((a) => ({ value: a.id, label: a.name }))]} />
      )}
      <SelectField
        label={t('inbox.sort')}
        value={filters.sort ?? ''}
        onChange={(v) => set('sort', v)}
        options={[{ value: '', label: t('inbox.sortDefault') }, ...SORTS.filter((s) => s !== 'relevance' || filters.q).map((s) => ({ value: s, label: t(`sort.${s.replace('-', '')}`) }))]}
      />
      <Button className="button small" onPress={() => void navigate({ search: {} })}>
        {t('inbox.clear')}
      </Button>
    </form>
  );
}
