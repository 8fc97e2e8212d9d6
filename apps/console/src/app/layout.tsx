import { Link, Outlet } from '@tanstack/react-router';
import { lazy, Suspense, useState } from 'react';
import { Button } from '../ui/button';
import { useTranslation } from 'react-i18next';
import { useCapabilities, useSession } from '../auth/session';
import { LanguageSwitch } from '../ui/language-switch';
import { useLiveStatus } from '../live/live-events';
import { useHotkey } from './hotkeys';

/** The shortcuts' dialog (React Aria's Modal) loads when it is first opened. */
const HelpDialog = lazy(() => import('./help-dialog').then((m) => ({ default: m.HelpDialog })));

export function Layout() {
  const { t } = useTranslation();
  const { current, signOut } = useSession();
  const { capabilities } = useCapabilities();
  const live = useLiveStatus();
  const [help, setHelp] = useState(false);
  useHotkey('?', () => setHelp(true));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('layout.brand')}</span>
        <nav aria-label={t('layout.navigation')}>
          <Link to="/" activeOptions={{ exact: true, includeSearch: false }}>
            {t('layout.inbox')}
          </Link>
          <Link to="/customers">{t('customers.title')}</Link>
          {capabilities.worksTickets && <Link to="/mail">{t('layout.mail')}</Link>}
          {capabilities.admin && <Link to="/outgoing-mail">{t('layout.outgoingMail')}</Link>}
          {capabilities.collections && <Link to="/collections">{t('layout.collections')}</Link>}
          {capabilities.admin && <Link to="/dashboard">{t('layout.dashboard')}</Link>}
          {capabilities.admin && <Link to="/settings">{t('layout.settings')}</Link>}
          <Link to="/tokens">{t('layout.tokens')}</Link>
        </nav>
        <span className={`live-status live-${live}`} role="status" aria-live="polite">
          {t(`live.${live}`)}
        </span>
        <div className="topbar-actions">
          <LanguageSwitch />
          <Button className="button small" onPress={() => setHelp(true)} aria-keyshortcuts="?">
            {t('layout.help')}
          </Button>
          <span className="signed-in-as">{t('layout.signedInAs', { name: current?.name })}</span>
          <Button className="button small" onPress={() => void signOut()}>
            {t('layout.signOut')}
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      {help && (
        <Suspense fallback={null}>
          <HelpDialog isOpen={help} onOpenChange={setHelp} />
        </Suspense>
      )}
    </div>
  );
}
