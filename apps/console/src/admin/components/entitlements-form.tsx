import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { DateField } from '../../ui/date-field';
import { SelectField, Switch, TextField } from '../../ui/fields';
import { ErrorMessage, QueryState } from '../../ui/feedback';
import { useRoutingWords } from '../../ticket/hooks/use-routing-words';

type Entitlements = Schemas['EntitlementsResponseDto'];
type Contract = Schemas['ContractDto'];
const COMPETENCIES = ['gold', 'silver', 'none'] as const satisfies readonly Entitlements['competency'][];

export function EntitlementsForm() {
  const entitlements = api.useQuery('get', '/api/v1/entitlements');
  return <QueryState query={entitlements}>{(data) => <EntitlementsEditor key={data.updatedAt} entitlements={data} />}</QueryState>;
}

/** Competency and the Premier / Advanced contracts (hours left), and which tiers that opens today. */
function EntitlementsEditor({ entitlements }: { entitlements: Entitlements }) {
  const { t } = useTranslation();
  const words = useRoutingWords();
  const queryClient = useQueryClient();
  const [competency, setCompetency] = useState(entitlements.competency);
  const [premier, setPremier] = useState<Contract>(entitlements.premier);
  const [advanced, setAdvanced] = useState<Contract>(entitlements.advanced);
  const save = api.useMutation('put', '/api/v1/entitlements', { onSuccess: (data) => queryClient.setQueryData(api.queryOptions('get', '/api/v1/entitlements').queryKey, data) });

  const contract = (name: 'premier' | 'advanced', value: Contract, set: (c: Contract) => void) => (
    <fieldset>
      <legend>{t(`tier.${name}`)}</legend>
      <Switch isSelected={value.active} onChange={(active) => set({ ...value, active })}>
        {t('entitlements.active')}
      </Switch>
      <TextField label={t('entitlements.hoursRemaining')} type="number" value={String(value.hoursRemaining)} onChange={(v) => set({ ...value, hoursRemaining: Number(v) })} />
      <TextField label={t('entitlements.hoursPurchased')} type="number" value={String(value.hoursPurchased ?? value.hoursRemaining)} onChange={(v) => set({ ...value, hoursPurchased: Number(v) })} />
      <DateField label={t('entitlements.expiresOn')} value={value.expiresOn ?? ''} onChange={(v) => set({ ...value, expiresOn: v || null })} />
    </fieldset>
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ body: { competency, premier, advanced } });
  };

  return (
    <section className="panel" aria-labelledby="entitlements-title">
      <h2 id="entitlements-title">{t('entitlements.title')}</h2>
      <Form onSubmit={submit} className="form-grid">
        <SelectField label={t('entitlements.competency')} value={competency} onChange={setCompetency} options={COMPETENCIES.map((c) => ({ value: c, label: t(`entitlements.competencies.${c}`) }))} />
        {contract('premier', premier, setPremier)}
        {contract('advanced', advanced, setAdvanced)}
        <ErrorMessage error={save.error} />
        <Button type="submit" className="button primary" isDisabled={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
      <h3>{t('entitlements.today', { date: entitlements.today })}</h3>
      <ul className="routing">
        {entitlements.tiers.map((tier) => (
          <li key={tier.tier} className={tier.eligible ? 'eligible' : 'ineligible'}>
            <strong>{t(`tier.${tier.tier}`)}</strong>: {tier.eligible ? t('escalate.eligible') : t('escalate.ineligible')} — {words.why(tier)}
          </li>
        ))}
      </ul>
    </section>
  );
}
