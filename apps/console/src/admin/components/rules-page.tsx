import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { DryRunPanel } from './dry-run-panel';
import { MasterDetailPage } from './master-detail-page';
import { RuleEditor } from './rule-editor';

/** Triage rules in the order they run, an editor with the impact preview, and a dry run of a sample ticket. */
export function RulesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const rules = api.useQuery('get', '/api/v1/triage-rules');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/triage-rules'] });

  return (
    <MasterDetailPage
      titleId="rules-title"
      title={t('rules.title')}
      query={rules}
      newLabel={t('rules.new')}
      emptyText={t('rules.empty')}
      orderedLabel={t('rules.order')}
      order={(list) => [...list].sort((a, b) => a.position - b.position)}
      itemContent={(rule) => (
        <>
          <span className="item-position">{rule.position}</span> {rule.name}
          <span className={`pill ${rule.enabled ? 'on' : 'off'}`}>{rule.enabled ? t('rules.enabled') : t('rules.disabled')}</span>
        </>
      )}
      detail={({ item, isNew, items, select }) => {
        const nextPosition = (items.at(-1)?.position ?? 0) + 10;
        return (
          <>
            {isNew && <RuleEditor key="new" rule={null} nextPosition={nextPosition} onSaved={(saved) => void refresh().then(() => select(saved.id))} onDeleted={() => select(null)} />}
            {item && <RuleEditor key={item.id + item.updatedAt} rule={item} nextPosition={nextPosition} onSaved={() => void refresh()} onDeleted={() => void refresh().then(() => select(null))} />}
            <DryRunPanel />
          </>
        );
      }}
    />
  );
}
