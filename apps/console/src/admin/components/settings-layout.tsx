import { Link, Outlet } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useCapabilities } from '../../auth/session';
import { Loading } from '../../ui/feedback';
import { Forbidden } from '../../app/forbidden';

export function SettingsLayout() {
  const { t } = useTranslation();
  const { capabilities, ready } = useCapabilities();
  if (!ready) return <Loading />;
  if (!capabilities.admin) return <Forbidden />;
  return (
    <div className="settings">
      <nav aria-label={t('settings.navigation')} className="subnav">
        <Link to="/settings/rules">{t('settings.rules')}</Link>
        <Link to="/settings/known-issues">{t('settings.knownIssues')}</Link>
        <Link to="/settings/plans">{t('settings.plans')}</Link>
        <Link to="/settings/escalation">{t('settings.escalation')}</Link>
        <Link to="/settings/agents">{t('settings.agents')}</Link>
        <Link to="/settings/macros">{t('settings.macros')}</Link>
        <Link to="/settings/notification-templates">{t('settings.templates')}</Link>
        <Link to="/settings/audit">{t('settings.audit')}</Link>
      </nav>
      <Outlet />
    </div>
  );
}
