import { Button } from './button';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/i18n';

/** Español / English, each name in its own language; the pressed one is the language in use. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div role="group" aria-label={t('layout.language')} className="language-switch">
      {LANGUAGES.map((language) => (
        <Button key={language} className="button small" aria-pressed={i18n.language === language} onPress={() => void i18n.changeLanguage(language)}>
          <span lang={language}>{t(`layout.languages.${language}`)}</span>
        </Button>
      ))}
    </div>
  );
}
