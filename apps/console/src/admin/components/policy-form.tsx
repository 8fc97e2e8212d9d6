import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { PRIORITIES } from '../../ticket/ticket-values';
import { ChoiceGroup, Switch } from '../../ui/fields';
import { ErrorMessage, QueryState } from '../../ui/feedback';

export function PolicyForm() {
  const policy = api.useQuery('get', '/api/v1/escalation-policy');
  return <QueryState query={policy}>{(data) => <PolicyEditor key={data.updatedAt} policy={data} />}</QueryState>;
}

/** When a breached resolution target escalates a ticket without an agent: which priorities, only out-of-scope ones. */
function PolicyEditor({ policy }: { policy: Schemas['EscalationPolicyResponseDto'] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [auto, setAuto] = useState(policy.autoEscalateOnResolutionBreach);
  const [priorities, setPriorities] = useState(policy.priorities);
  const [onlyOutOfScope, setOnlyOutOfScope] = useState(policy.onlyOutOfScope);
  const save = api.useMutation('put', '/api/v1/escalation-policy', { onSuccess: (data) => queryClient.setQueryData(api.queryOptions('get', '/api/v1/escalation-policy').queryKey, data) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ body: { autoEscalateOnResolutionBreach: auto, priorities, onlyOutOfScope } });
  };

  return (
    <section className="panel" aria-labelledby="policy-title">
      <h2 id="policy-title">{t('policy.title')}</h2>
      <Form onSubmit={submit} className="form-grid">
        <Switch isSelected={auto} onChange={setAuto}>
          {t('policy.auto')}
        </Switch>
        <ChoiceGroup label={t('policy.priorities')} value={priorities} onChange={setPriorities} options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
        <Switch isSelected={onlyOutOfScope} onChange={setOnlyOutOfScope}>
          {t('policy.onlyOutOfScope')}
        </Switch>
        <ErrorMessage error={save.error} />
        <Button type="submit" className="button primary" isDisabled={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </section>
  );
}
