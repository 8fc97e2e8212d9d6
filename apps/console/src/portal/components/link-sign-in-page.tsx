import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { fetchClient } from '../../api/client';
import { LanguageSwitch } from '../../ui/language-switch';
import { usePortalSession } from '../portal-session';

/** The page a mailed sign-in link leads to (the API's redirect puts the link's token after `#`). */
export const LINK_PAGE_PATH = '/portal/sign-in-link';

export const onLinkPage = () => window.location.pathname.replace(/\/+$/, '') === LINK_PAGE_PATH;


/**
 * Where a mailed sign-in link lands. Mail scanners open every link in a message before people do,
 * so opening it spends nothing: the person's press of "Sign in" does (a POST), once; a link that
 * is used, expired or incomplete says so and points to asking for a new one.
 */
export function LinkSignInPage() {
  const { t } = useTranslation();
  const { signedIn } = usePortalSession();
  const [token] = useState(() => window.location.hash.slice(1));
  // Out of the address bar once shown, so that it is not left in sight or in the history; not while
  // rendering: a render that suspends (a language still loading) is thrown away and done again.
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', LINK_PAGE_PATH);
  }, []);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<'spent' | 'unreachable' | null>(token ? null : 'spent');

  const signIn = async () => {
    setBusy(true);
    const answer = await fetchClient.POST('/api/v1/portal/session/link', { body: { token } }).catch(() => undefined);
    setBusy(false);
    if (answer?.data) {
      window.history.replaceState(null, '', '/portal/');
      return signedIn(answer.data);
    }
    const status = answer?.response.status;
    setFailure(status === 401 || status === 400 ? 'spent' : 'unreachable');
  };

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <h1>{t('portal.linkSignIn.title')}</h1>
        {failure === 'spent' ? (
          <>
            <p className="error-text" role="alert">
              {t('portal.linkSignIn.spent')}
            </p>
            <p>
              <a href="/portal/">{t('portal.linkSignIn.askAgain')}</a>
            </p>
          </>
        ) : (
          <>
            <p>{t('portal.linkSignIn.intro')}</p>
            {failure === 'unreachable' && (
              <p className="error-text" role="alert">
                {t('signIn.unreachable')}
              </p>
            )}
            <Button className="button primary" isDisabled={busy} onPress={() => void signIn()}>
              {t('portal.linkSignIn.submit')}
            </Button>
          </>
        )}
        <LanguageSwitch />
      </div>
    </main>
  );
}
