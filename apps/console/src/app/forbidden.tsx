import { useTranslation } from 'react-i18next';

/** What a role that may not see a page gets if it opens the page's address anyway. */
export function Forbidden() {
  const { t } = useTranslation();
  return (
    <section className="page">
      <h1>{t('forbidden.title')}</h1>
      <p>{t('forbidden.body')}</p>
    </section>
  );
}
