import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { MasterDetailPage } from './master-detail-page';
import { PlanEditor } from './plan-editor';

/** Support plans: what the partner declares to each customer (hours, holidays, contact methods, price, targets). */
export function PlansPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const plans = api.useQuery('get', '/api/v1/support-plans');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/support-plans'] });

  return (
    <MasterDetailPage
      titleId="plans-title"
      title={t('plans.title')}
      query={plans}
      newLabel={t('plans.new')}
      emptyText={t('plans.empty')}
      itemContent={(plan) => (
        <>
          {plan.name} <span className="muted">{plan.timezone}</span>
        </>
      )}
      detail={({ item, isNew, select }) => (
        <>
          {isNew && <PlanEditor key="new" plan={null} onSaved={(saved) => void refresh().then(() => select(saved.id))} />}
          {item && <PlanEditor key={item.id + item.updatedAt} plan={item} onSaved={() => void refresh()} />}
        </>
      )}
    />
  );
}
