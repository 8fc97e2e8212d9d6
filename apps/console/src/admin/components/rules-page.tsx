import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { Empty, QueryState } from '../../ui/feedback';
import { DryRunPanel } from './dry-run-panel';
import { RuleEditor } from './rule-editor';

type Rule = Schemas['TriageRuleResponseDto'];

/** Triage rules in the order they run, an editor with the impact preview, and a dry run of a sample ticket. */
export function RulesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const rules = api.useQuery('get', '/api/v1/triage-rules');
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/triage-rules'] });

  return (
    <section className="page settings-page" aria-labelledby="rules-title">
      <h1 id="rules-title">{t('rules.title')}</h1>
      <QueryState query={rules}>
        {(list) => {
          const ordered = [...list].sort((a, b) => a.position - b.position);
          const rule = ordered.find((r) => r.id === selected) ?? null;
          const nextPosition = (ordered.at(-1)?.position ?? 0) + 10;
          return (
            <div className="master-detail">
              <div>
                <Button className="button primary" onPress={() => setSelected('new')}>
                  {t('rules.new')}
                </Button>
                {ordered.length === 0 ? (
                  <Empty>{t('rules.empty')}</Empty>
                ) : (
                  <ol className="item-list" aria-label={t('rules.order')}>
                    {ordered.map((r) => (
                      <li key={r.id}>
                        <Button className={`item${r.id === selected ? ' selected' : ''}`} onPress={() => setSelected(r.id)} aria-current={r.id === selected ? 'true' : undefined}>
                          <span className="item-position">{r.position}</span> {r.name}
                          <span className={`pill ${r.enabled ? 'on' : 'off'}`}>{r.enabled ? t('rules.enabled') : t('rules.disabled')}</span>
                        </Button>
                      </li>
                    ))}
                  </ol>
                )}
              </div>
              <div>
                {selected === 'new' && <RuleEditor key="new" rule={null} nextPosition={nextPosition} onSaved={(saved: Rule) => void refresh().then(() => setSelected(saved.id))} onDeleted={() => setSelected(null)} />}
                {rule && <RuleEditor key={rule.id + rule.updatedAt} rule={rule} nextPosition={nextPosition} onSaved={() => void refresh()} onDeleted={() => void refresh().then(() => setSelected(null))} />}
                <DryRunPanel />
              </div>
            </div>
          );
        }}
      </QueryState>
    </section>
  );
}
