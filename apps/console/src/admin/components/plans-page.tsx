import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Empty, QueryState } from '../../ui/feedback';
import { PlanEditor } from './plan-editor';

/** Support plans: what the partner declares to each customer (hours, holidays, contact methods, price, targets). */
export function PlansPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const plans = api.useQuery('get', '/api/v1/support-plans');
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/support-plans'] });

  return (
    <section className="page settings-page" aria-labelledby="plans-title">
      <h1 id="plans-title">{t('plans.title')}</h1>
      <QueryState query={plans}>
        {(list) => {
          const plan = list.find((p) => p.id === selected) ?? null;
          return (
            <div className="master-detail">
              <div>
                <Button className="button primary" onPress={() => setSelected('new')}>
                  {t('plans.new')}
                </Button>
                {list.length === 0 ? (
                  <Empty>{t('plans.empty')}</Empty>
                ) : (
                  <ul className="item-list">
                    {list.map((p) => (
                      <li key={p.id}>
                        <Button className={`item${p.id === selected ? ' selected' : ''}`} onPress={() => setSelected(p.id)} aria-current={p.id === selected ? 'true' : undefined}>
                          {p.name} <span className="muted">{p.timezone}</span>
                        </Button>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
              <div>
                {selected === 'new' && <PlanEditor key="new" plan={null} onSaved={(saved) => void refresh().then(() => setSelected(saved.id))} />}
                {plan && <PlanEditor key={plan.id + plan.updatedAt} plan={plan} onSaved={() => void refresh()} />}
              </div>
            </div>
          );
        }}
      </QueryState>
    </section>
  );
}
