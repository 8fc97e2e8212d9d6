import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../ui/language-switch';
import { TextField } from '../../ui/fields';
import { probeCapabilities, type ProbeOutcome } from '../capabilities';
import { useSession } from '../session';

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return setError(t('signIn.empty'));
    setBusy(true);
    setError(null);
    const outcome: ProbeOutcome = await queryClient.fetchQuery({ queryKey: ['capabilities', value], queryFn: () => probeCapabilities(value), staleTime: Infinity });
    setBusy(false);
    if (outcome.kind === 'staff') return signIn(value);
    queryClient.removeQueries({ queryKey: ['capabilities', value] });
    setError(t(`signIn.${outcome.kind}`));
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
        <LanguageSwitch />
      </div>
    </main>
  );
}
