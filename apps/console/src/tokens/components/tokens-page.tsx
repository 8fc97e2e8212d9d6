import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCapabilities, useSession } from '../../auth/session';
import { useDirectory } from '../../directory/hooks/use-directory';
import { SelectField } from '../../ui/fields';
import { TokensPanel } from './tokens-panel';

/**
 * API tokens: every staff member's own; admin_agent and global_admin pick any agent's (a global
 * admin's tokens are a global admin's to change: the API refuses the others, and says why).
 */
export function TokensPage() {
  const { t } = useTranslation();
  const { current } = useSession();
  const { capabilities } = useCapabilities();
  const { agents } = useDirectory();
  const [agentId, setAgentId] = useState(current?.agentId ?? '');
  const agent = agents.find((a) => a.id === agentId);
  const mine = agentId === current?.agentId;

  return (
    <section className="page settings-page" aria-labelledby="tokens-page-title">
      <h1 id="tokens-page-title">{t('tokens.title')}</h1>
      <p className="muted">{t('tokens.intro')}</p>
      {capabilities.admin && agents.length > 0 && (
        <SelectField label={t('tokens.agent')} value={agentId} onChange={setAgentId} options={agents.map((a) => ({ value: a.id, label: a.id === current?.agentId ? t('tokens.me', { name: a.name }) : a.name }))} />
      )}
      {agentId && (
        <TokensPanel
          key={agentId}
          owner={{ kind: 'agent', id: agentId }}
          title={mine ? t('tokens.mine') : t('tokens.of', { name: agent?.name ?? agentId.slice(0, 8) })}
          canIssue
          canChange
        />
      )}
    </section>
  );
}
