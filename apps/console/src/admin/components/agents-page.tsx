import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { useCapabilities } from '../../auth/session';
import { ChoiceGroup, SelectField, Switch, TextField } from '../../ui/fields';
import { ErrorMessage, QueryState } from '../../ui/feedback';
import { useFieldErrors } from '../../ui/field-errors';
import { splitList } from '../../ui/lists';
import { agentDraftOf, rebaseDraft, sameDraft, type AgentDraft, type AgentDraftField } from '../agent-draft';

type Agent = Schemas['AgentResponseDto'];
type Role = Agent['roles'][number];
const ROLES = ['global_admin', 'admin_agent', 'helpdesk_agent', 'billing_admin', 'sales_agent'] as const satisfies readonly Role[];
/** The agent's mail language; '' is none chosen (null in the API: English, then Spanish). */
type Locale = NonNullable<Agent['locale']> | '';

function localeLabel(t: TFunction, locale: Locale): string {
  return locale === 'es' ? t('agents.localeEs') : locale === 'en' ? t('agents.localeEn') : t('agents.localeDefault');
}

function LocaleField({ value, onChange, error }: { value: Locale; onChange: (value: Locale) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <SelectField<Locale>
      label={t('agents.locale')}
      value={value}
      onChange={onChange}
      error={error}
      options={[
        { value: '', label: localeLabel(t, '') },
        { value: 'es', label: localeLabel(t, 'es') },
        { value: 'en', label: localeLabel(t, 'en') },
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
              <AgentEditor key={agent.id} agent={agent} canEditRoles={capabilities.globalAdmin} />
            ))}
          </div>
        )}
      </QueryState>
    </section>
  );
}

/**
 * One agent's card. Its form follows the saved agent while untouched; an edit in progress is kept when
 * the list comes back with the agent changed meanwhile (by another admin, or the agent's own
 * availability): the untouched fields follow, and a field changed under the edit is named with its
 * saved value, for the admin to take it or to save theirs over it knowingly.
 */
function AgentEditor({ agent, canEditRoles }: { agent: Agent; canEditRoles: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const latest = agentDraftOf(agent);
  // `seen`: the agent as the list last gave it; `base`: the agent the form's edits are edits of (also what this card saved last).
  const [seen, setSeen] = useState(latest);
  const [base, setBase] = useState(latest);
  const [form, setForm] = useState(latest);
  const [changed, setChanged] = useState<AgentDraftField[]>([]);
  if (!sameDraft(seen, latest)) {
    const next = rebaseDraft(form, base, latest, changed);
    setSeen(latest);
    setBase(latest);
    setForm(next.form);
    setChanged(next.changed);
  }
  const edit =
    <F extends AgentDraftField>(field: F) =>
    (value: AgentDraft[F]) =>
      setForm((current) => ({ ...current, [field]: value }));
  const save = api.useMutation('patch', '/api/v1/agents/{id}', {
    onSuccess: (saved) => {
      // What this card saved is what its edits are now edits of: the list bringing it back is no change under them.
      setBase(agentDraftOf(saved));
      setChanged([]);
      void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/agents'] });
    },
  });
  const fieldError = useFieldErrors(save.error);
  const labels: Record<AgentDraftField, string> = { roles: t('agents.roles'), queues: t('agents.queues'), cap: t('agents.cap'), locale: t('agents.locale'), available: t('agents.available') };
  const savedValue = (field: AgentDraftField): string => {
    switch (field) {
      case 'roles':
        return latest.roles.map((r) => t(`roles.${r}`)).join(', ');
      case 'locale':
        return localeLabel(t, latest.locale as Locale);
      case 'available':
        return latest.available ? t('agents.availableYes') : t('agents.availableNo');
      default:
        return latest[field] || '—';
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      params: { path: { id: agent.id } },
      body: { queues: splitList(form.queues), maxOpenTickets: Number(form.cap), available: form.available, locale: (form.locale as Locale) || null, ...(canEditRoles ? { roles: form.roles as Role[] } : {}) },
    });
  };

  return (
    <Form onSubmit={submit} className="panel form-grid" aria-label={agent.name} validationBehavior="aria">
      <h2>
        {agent.name} <span className="muted">{agent.email}</span>
      </h2>
      {canEditRoles ? (
        <ChoiceGroup label={t('agents.roles')} value={form.roles as Role[]} onChange={edit('roles')} options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
      ) : (
        <p>
          {t('agents.roles')}: {agent.roles.map((r) => t(`roles.${r}`)).join(', ')}
        </p>
      )}
      <TextField label={t('agents.queues')} value={form.queues} onChange={edit('queues')} description={t('agents.queuesHelp')} error={fieldError('queues', t('agents.queues'))} />
      <TextField label={t('agents.cap')} type="number" value={form.cap} onChange={edit('cap')} error={fieldError('maxOpenTickets', t('agents.cap'))} />
      <LocaleField value={form.locale as Locale} onChange={edit('locale')} error={fieldError('locale', t('agents.locale'))} />
      <Switch isSelected={form.available} onChange={edit('available')}>
        {t('agents.available')}
      </Switch>
      {changed.length > 0 && (
        <div className="notice changed-meanwhile" role="status">
          <p>{t('agents.changedMeanwhile', { name: agent.name })}</p>
          <ul>
            {changed.map((field) => (
              <li key={field}>{t('agents.savedNow', { field: labels[field], value: savedValue(field) })}</li>
            ))}
          </ul>
          <Button
            className="button small"
            onPress={() => {
              setForm((current) => ({ ...current, ...Object.fromEntries(changed.map((field) => [field, latest[field]])) }));
              setChanged([]);
            }}
          >
            {t('agents.takeSaved')}
          </Button>
        </div>
      )}
      <ErrorMessage error={save.error} shown={['queues', 'maxOpenTickets', 'locale']} labels={{ roles: t('agents.roles'), available: t('agents.available') }} />
      <Button type="submit" className="button" isDisabled={save.isPending}>
        {changed.length > 0 ? t('agents.saveOver') : t('common.save')}
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
