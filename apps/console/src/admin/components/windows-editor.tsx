import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { SelectField, TextField } from '../../ui/fields';

export type Window = Schemas['BusinessWindowDto'];

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * Weekly windows (several a day allowed): a plan's business hours, a contact point's hours. `of`
 * names whose windows they are in every label when a page has more than one such table.
 */
export function WindowsEditor({ windows, onChange, of }: { windows: Window[]; onChange: (windows: Window[]) => void; of?: string }) {
  const { t, i18n } = useTranslation();
  const dayName = (day: number) => new Intl.DateTimeFormat(i18n.language, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));
  const label = (key: string, n: number) => (of ? `${t(key, { n })} (${of})` : t(key, { n }));
  const setWindow = (index: number, patch: Partial<Window>) => onChange(windows.map((w, i) => (i === index ? { ...w, ...patch } : w)));

  return (
    <>
      <table className="hours">
        <thead>
          <tr>
            <th scope="col">{t('plans.day')}</th>
            <th scope="col">{t('plans.start')}</th>
            <th scope="col">{t('plans.end')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('plans.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {windows.map((w, index) => (
            <tr key={index}>
              <td>
                <SelectField label={label('plans.dayOf', index + 1)} className="compact" value={String(w.day)} onChange={(v) => setWindow(index, { day: Number(v) })} options={WEEKDAYS.map((d) => ({ value: String(d), label: dayName(d) }))} />
              </td>
              <td>
                <TextField label={label('plans.startOf', index + 1)} className="compact" value={w.start} onChange={(v) => setWindow(index, { start: v })} />
              </td>
              <td>
                <TextField label={label('plans.endOf', index + 1)} className="compact" value={w.end} onChange={(v) => setWindow(index, { end: v })} description={index === 0 ? t('plans.endHelp') : undefined} />
              </td>
              <td>
                <Button className="button small" onPress={() => onChange(windows.filter((_, i) => i !== index))} aria-label={label('plans.removeWindow', index + 1)}>
                  ✕
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button className="button small" onPress={() => onChange([...windows, { day: 1, start: '09:00', end: '18:00' }])} aria-label={of ? `${t('plans.addWindow')} (${of})` : undefined}>
        {t('plans.addWindow')}
      </Button>
    </>
  );
}
