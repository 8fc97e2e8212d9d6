import { useTranslation } from 'react-i18next';

/** A ticket's status as its customer sees it (the API sends public statuses to customers). */
export function PublicStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`status status-${status}`}>{t(`portal.status.${status}`, { defaultValue: status })}</span>;
}
