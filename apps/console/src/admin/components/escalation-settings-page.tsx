import { useTranslation } from 'react-i18next';
import { useCapabilities } from '../../auth/session';
import { EntitlementsForm } from './entitlements-form';
import { PolicyForm } from './policy-form';
import { TiersForm } from './tiers-form';

/** What the partner holds (global admins), how each vendor tier is reached, and when tickets escalate by themselves. */
export function EscalationSettingsPage() {
  const { t } = useTranslation();
  const { capabilities } = useCapabilities();
  return (
    <section className="page settings-page" aria-labelledby="escalation-settings-title">
      <h1 id="escalation-settings-title">{t('escalationSettings.title')}</h1>
      {capabilities.globalAdmin && <EntitlementsForm />}
      <TiersForm />
      <PolicyForm />
    </section>
  );
}
