import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { useCapabilities } from '../../auth/session';
import { ChoiceGroup, SelectField, Switch, TextField } from '../../ui/fields';
import { ErrorMessage, QueryState } from '../../ui/feedback';
import { useFieldErrors } from '../../ui/field-errors';
import { joinList, splitList } from '../../ui/lists';

type Agent = Schemas['AgentResponseDto'];
type Role = Agent['roles'][number];
const ROLES = ['global_admin', 'admin_agent', 'helpdesk_agent', 'billing_admin', 'sales_agent'] as const satisfies readonly Role[];
/** The agent's mail language; '' is none chosen (null in the API: English, then Spanish). */
type Locale = NonNullable<Agent['locale']> | '';

function LocaleField({ value, onChange, error }: { value: Locale; onChange: (value: Locale) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <SelectField<Locale>
      label={t('agents.locale')}
      value={value}
      onChange={onChange}
      error={error}
      options={[
        { value: '', label: t('agents.localeDefault') },
        { value: 'es', label: t('agents.localeEs') },
        { value: 'en', label: t('agents.localeEn') },
      ]}
    />
  );
}

/** The partner's staff: queues, cap and availability (admins); roles and new agents with their token (global admins). */
export function AgentsPage() {
  const { t } = useTranslation();
  const { capabilities } = useCapabilities();
  const agents = api.useQuery('get', '/api/v1/agents');
  return (
    <section className="page settings-page" aria-labelledby="agents-title">
      <h1 id="agents-title">{t('agents.title')}</h1>
      {capabilities.globalAdmin && <NewAgentForm />}
      <QueryState query={agents}>
        {(list) => (
          <div className="agent-cards">
            {list.map((agent) => (
              <AgentEditor key={agent.id + joinList(agent.queues) + agent.available + agent.maxOpenTickets + joinList(agent.roles) + (agent.locale ?? '')} agent={agent} canEditRoles={capabilities.globalAdmin} />
            ))}
          </div>
        )}
      </QueryState>
    </section>
  );
}

function AgentEditor({ agent, canEditRoles }: { agent: Agent; canEditRoles: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [queues, setQueues] = useState(joinList(agent.queues));
  const [cap, setCap] = useState(String(agent.maxOpenTickets));
  const [available, setAvailable] = useState(agent.available);
  const [roles, setRoles] = useState<Role[]>(agent.roles);
  const [locale, setLocale] = useState<Locale>(agent.locale ?? '');
  const save = api.useMutation('patch', '/api/v1/agents/{id}', { onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/agents'] }) });
  const fieldError = useFieldErrors(save.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ params: { path: { id: agent.id } }, body: { queues: splitList(queues), maxOpenTickets: Number(cap), available, locale: locale || null, ...(canEditRoles ? { roles } : {}) } });
  };

  return (
    <Form onSubmit={submit} className="panel form-grid" aria-label={agent.name} validationBehavior="aria">
      <h2>
        {agent.name} <span className="muted">{agent.email}</span>
      </h2>
      {canEditRoles ? (
        <ChoiceGroup label={t('agents.roles')} value={roles} onChange={setRoles} options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
      ) : (
        <p>
          {t('agents.roles')}: {agent.roles.map((r) => t(`roles.${r}`)).join(', ')}
        </p>
      )}
      <TextField label={t('agents.queues')} value={queues} onChange={setQueues} description={t('agents.queuesHelp')} error={fieldError('queues', t('agents.queues'))} />
      <TextField label={t('agents.cap')} type="number" value={cap} onChange={setCap} error={fieldError('maxOpenTickets', t('agents.cap'))} />
      <LocaleField value={locale} onChange={setLocale} error={fieldError('locale', t('agents.locale'))} />
      <Switch isSelected={available} onChange={setAvailable}>
        {t('agents.available')}
      </Switch>
      <ErrorMessage error={save.error} shown={['queues', 'maxOpenTickets', 'locale']} labels={{ roles: t('agents.roles'), available: t('agents.available') }} />
      <Button type="submit" className="button" isDisabled={save.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
}

/** A new agent; the API shows the agent's token once, here, and keeps only its hash. */
function NewAgentForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>(['helpdesk_agent']);
  const [locale, setLocale] = useState<Locale>('');
  const create = api.useMutation('post', '/api/v1/agents', {
    onSuccess: () => {
      setName('');
      setEmail('');
      setLocale('');
      void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/agents'] });
    },
  });
  const fieldError = useFieldErrors(create.error);

  return (
    <section className="panel" aria-labelledby="new-agent-title">
      <h2 id="new-agent-title">{t('agents.new')}</h2>
      <Form
        className="form-grid"
        validationBehavior="aria"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ body: { name, email, roles, locale: locale || null } });
        }}
      >
        <TextField label={t('agents.name')} value={name} onChange={setName} isRequired error={fieldError('name', t('agents.name'))} />
        <TextField label={t('agents.email')} type="email" value={email} onChange={setEmail} isRequired error={fieldError('email', t('agents.email'))} />
        <ChoiceGroup label={t('agents.roles')} value={roles} onChange={setRoles} options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        <LocaleField value={locale} onChange={setLocale} error={fieldError('locale', t('agents.locale'))} />
        <ErrorMessage error={create.error} shown={['name', 'email', 'locale']} labels={{ roles: t('agents.roles') }} />
        <Button type="submit" className="button primary" isDisabled={create.isPending}>
          {t('agents.create')}
        </Button>
      </Form>
      {create.data && (
        <div role="status" className="token-once">
          <p>{t('agents.tokenOnce', { name: create.data.name })}</p>
          <code>{create.data.token}</code>
        </div>
      )}
    </section>
  );
}
