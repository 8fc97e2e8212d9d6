import { Outlet } from '@tanstack/react-router';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../ui/language-switch';
import { usePortalCustomer, usePortalSession } from '../portal-session';
import { PortalLink } from './portal-link';

/** The portal's shell: the customer's pages only (no staff navigation), language, who is signed in. */
export function PortalLayout() {
  const { t } = useTranslation();
  const { signOut } = usePortalSession();
  const me = usePortalCustomer();
  return (
    <div className="shell portal">
      <a className="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('portal.brand')}</span>
        <nav aria-label={t('layout.navigation')}>
          <PortalLink to="/" activeOptions={{ exact: true }}>
            {t('portal.nav.offering')}
          </PortalLink>
          <PortalLink to="/tickets" activeOptions={{ exact: true }}>
            {t('portal.nav.tickets')}
          </PortalLink>
          <PortalLink to="/tickets/new">{t('portal.nav.newTicket')}</PortalLink>
          <PortalLink to="/billing">{t('portal.nav.billing')}</PortalLink>
        </nav>
        <div className="topbar-actions">
          <LanguageSwitch />
          <span className="signed-in-as">{t('portal.signedInAs', { name: me.contact?.name ?? me.customerName, customer: me.customerName })}</span>
          <Button className="button small" onPress={() => void signOut()}>
            {t('layout.signOut')}
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
