import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { fetchClient } from '../../api/client';
import { TextField } from '../../ui/fields';
import { LanguageSwitch } from '../../ui/language-switch';
import { usePortalSession } from '../portal-session';

/** A mailed link that did not work sends the browser here with ?link=invalid. */
const linkFailed = () => new URLSearchParams(window.location.search).get('link') === 'invalid';

/**
 * Sign-in for customers: a link mailed to a contact's address (the answer never says whether the
 * address is known), or a customer token exchanged once for the session cookie.
 */
export function PortalSignInPage() {
  const { t } = useTranslation();
  const { signedIn } = usePortalSession();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [token, setToken] = useState('');
  const [tokenError, setTokenError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const requestLink = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) return setEmailError(t('portal.signIn.emailEmpty'));
    setBusy(true);
    setEmailError(null);
    const answer = await fetchClient.POST('/api/v1/portal/sign-in-links', { body: { email: email.trim() } }).catch(() => undefined);
    setBusy(false);
    const status = answer?.response.status;
    if (status === 202) return setSent(true);
    setEmailError(t(status === 400 ? 'portal.signIn.emailInvalid' : status === 429 ? 'portal.signIn.tooMany' : 'signIn.unreachable'));
  };

  const useToken = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return setTokenError(t('signIn.empty'));
    setBusy(true);
    setTokenError(null);
    const answer = await fetchClient.POST('/api/v1/portal/session', { body: { token: value } }).catch(() => undefined);
    setBusy(false);
    if (answer?.data) {
      setToken('');
      window.history.replaceState(null, '', '/portal/');
      return signedIn(answer.data);
    }
    const status = answer?.response.status;
    setTokenError(t(status === 401 || status === 400 ? 'signIn.invalid' : status === 403 ? 'portal.signIn.staffToken' : 'signIn.unreachable'));
  };

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <h1>{t('portal.signIn.title')}</h1>
        <p>{t('portal.signIn.intro')}</p>
        {linkFailed() && (
          <p className="error-text" role="alert">
            {t('portal.signIn.linkInvalid')}
          </p>
        )}
        {sent ? (
          <p role="status" className="notice">
            {t('portal.signIn.sent')}
          </p>
        ) : (
          <Form onSubmit={requestLink} validationBehavior="aria" aria-label={t('portal.signIn.byEmail')}>
            <TextField label={t('portal.signIn.email')} type="email" value={email} onChange={setEmail} error={emailError ?? undefined} description={t('portal.signIn.emailHelp')} autoFocus name="email" />
            <Button type="submit" className="button primary" isDisabled={busy}>
              {t('portal.signIn.sendLink')}
            </Button>
          </Form>
        )}
        <details>
          <summary>{t('portal.signIn.withToken')}</summary>
          <Form onSubmit={useToken} validationBehavior="aria" aria-label={t('portal.signIn.withToken')}>
            <TextField label={t('portal.signIn.token')} type="password" value={token} onChange={setToken} error={tokenError ?? undefined} name="token" />
            <Button type="submit" className="button" isDisabled={busy}>
              {t('signIn.submit')}
            </Button>
          </Form>
        </details>
        <LanguageSwitch />
      </div>
    </main>
  );
}
