import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { SelectField, TextField } from '../../ui/fields';
import { ErrorMessage, QueryState } from '../../ui/feedback';

type Tier = Schemas['TierConfigResponseDto'];

/** How each vendor tier receives cases: a signed webhook (URL, secret, timeout, rate) or by hand. */
export function TiersForm() {
  const { t } = useTranslation();
  const tiers = api.useQuery('get', '/api/v1/escalation-tiers');
  return (
    <section className="panel" aria-labelledby="tiers-config-title">
      <h2 id="tiers-config-title">{t('tiers.title')}</h2>
      <QueryState query={tiers}>{(list) => list.map((tier) => <TierEditor key={tier.tier + (tier.updatedAt ?? '')} tier={tier} />)}</QueryState>
    </section>
  );
}

function TierEditor({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [delivery, setDelivery] = useState<'webhook' | 'manual'>(tier.delivery ?? 'webhook');
  const [webhookUrl, setWebhookUrl] = useState(tier.webhookUrl ?? '');
  const [secret, setSecret] = useState('');
  const [timeoutMs, setTimeoutMs] = useState(String(tier.timeoutMs ?? 10000));
  const [maxPerMinute, setMaxPerMinute] = useState(tier.maxPerMinute === null ? '' : String(tier.maxPerMinute));
  const save = api.useMutation('put', '/api/v1/escalation-tiers/{tier}', { onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/escalation-tiers'] }) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      params: { path: { tier: tier.tier } },
      body:
        delivery === 'manual'
          ? { delivery }
          : { delivery, webhookUrl, ...(secret ? { secret } : {}), timeoutMs: Number(timeoutMs), ...(maxPerMinute ? { maxPerMinute: Number(maxPerMinute) } : {}) },
    });
  };

  return (
    <Form onSubmit={submit} className="form-grid tier-form" aria-label={t(`tier.${tier.tier}`)}>
      <h3>
        {t(`tier.${tier.tier}`)} <span className={`pill ${tier.configured ? 'on' : 'off'}`}>{tier.configured ? t('tiers.configured') : t('tiers.notConfigured')}</span>
      </h3>
      <SelectField label={t('tiers.delivery')} value={delivery} onChange={(v) => setDelivery(v as 'webhook' | 'manual')} options={[{ value: 'webhook', label: t('tiers.webhook') }, { value: 'manual', label: t('tiers.manual') }]} />
      {delivery === 'webhook' && (
        <>
          <TextField label={t('tiers.url')} type="url" value={webhookUrl} onChange={setWebhookUrl} isRequired />
          <TextField label={t('tiers.secret')} type="password" value={secret} onChange={setSecret} description={tier.hasSecret ? t('tiers.secretKept') : t('tiers.secretHelp')} />
          <TextField label={t('tiers.timeout')} type="number" value={timeoutMs} onChange={setTimeoutMs} />
          <TextField label={t('tiers.maxPerMinute')} type="number" value={maxPerMinute} onChange={setMaxPerMinute} />
        </>
      )}
      <ErrorMessage error={save.error} labels={{ webhookUrl: t('tiers.url'), secret: t('tiers.secret'), timeoutMs: t('tiers.timeout'), maxPerMinute: t('tiers.maxPerMinute') }} />
      <Button type="submit" className="button" isDisabled={save.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
}
