import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { fetchClient } from '../../api/client';
import { LanguageSwitch } from '../../ui/language-switch';
import { TextField } from '../../ui/fields';
import { useSession } from '../session';

/** Why a sign-in was refused, by the API's answer. */
function refusal(status: number | undefined): 'invalid' | 'customer' | 'unreachable' {
  if (status === 401 || status === 400) return 'invalid';
  if (status === 403) return 'customer';
  return 'unreachable';
}

/** A staff token, pasted once and exchanged for the API's session cookie; the console keeps no copy of it. */
export function SignInPage() {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return setError(t('signIn.empty'));
    setBusy(true);
    setError(null);
    const answer = await fetchClient.POST('/api/v1/session', { body: { token: value } }).catch(() => undefined);
    setBusy(false);
    if (answer?.data) {
      setToken('');
      return signedIn(answer.data);
    }
    setError(t(`signIn.${refusal(answer?.response.status)}`));
  };

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <h1>{t('signIn.title')}</h1>
        <p>{t('signIn.intro')}</p>
        <Form onSubmit={submit} validationBehavior="aria">
          <TextField label={t('signIn.token')} type="password" value={token} onChange={setToken} error={error ?? undefined} description={t('signIn.tokenHelp')} autoFocus name="token" />
          <Button type="submit" className="button primary" isDisabled={busy}>
            {busy ? t('signIn.checking') : t('signIn.submit')}
          </Button>
        </Form>
        <p>
          <a href="/portal/">{t('signIn.portal')}</a>
        </p>
        <LanguageSwitch />
      </div>
    </main>
  );
}
