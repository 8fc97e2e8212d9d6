import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { weeklyHours } from '../hours';

/** When something is attended: each day's windows and the time zone they are in, or round the clock. */
export function HoursList({ windows, timezone }: { windows: Schemas['BusinessWindowDto'][]; timezone: string }) {
  const { t, i18n } = useTranslation();
  if (windows.length === 0) return <span>{t('portal.offering.allHours')}</span>;
  return (
    <div>
      <ul className="hours">
        {weeklyHours(windows, i18n.language).map(({ day, spans }) => (
          <li key={day}>
            <span className="hours-day">{day}</span> {spans}
          </li>
        ))}
      </ul>
      <span className="muted">{t('portal.offering.timezone', { timezone })}</span>
    </div>
  );
}
