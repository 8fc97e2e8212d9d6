import { parseDate, parseDateTime, type CalendarDate, type CalendarDateTime } from '@internationalized/date';
import { useTranslation } from 'react-i18next';
import { DateField as AriaDateField, DateInput, DateSegment, FieldError, I18nProvider, Label, Text } from 'react-aria-components';

interface DateFieldProps {
  label: string;
  /** YYYY-MM-DD, or '' for none. */
  value: string;
  onChange: (value: string) => void;
  description?: string;
  error?: string;
  isRequired?: boolean;
  name?: string;
}

const calendarDate = (value: string): CalendarDate | null => {
  try {
    return value ? parseDate(value) : null;
  } catch {
    return null;
  }
};

/**
 * A calendar date (YYYY-MM-DD) typed day, month and year in the console's language (dd/mm/aaaa in
 * Spanish), whatever the browser's own locale: React Aria's DateField, one spin button per part,
 * where a native date input would follow the browser. `onChange` gets '' until every part is set.
 */
export function DateField({ label, value, onChange, description, error, isRequired, name }: DateFieldProps) {
  const { i18n } = useTranslation();
  return (
    <I18nProvider locale={i18n.language}>
      <AriaDateField
        className="field"
        value={calendarDate(value)}
        onChange={(date) => onChange(date ? date.toString() : '')}
        isRequired={isRequired}
        isInvalid={Boolean(error)}
        name={name}
        granularity="day"
        shouldForceLeadingZeros
      >
        <Label>{label}</Label>
        <DateInput className="date-input">{(segment) => <DateSegment segment={segment} />}</DateInput>
        {description && <Text slot="description">{description}</Text>}
        <FieldError>{error}</FieldError>
      </AriaDateField>
    </I18nProvider>
  );
}

const calendarDateTime = (value: string): CalendarDateTime | null => {
  try {
    return value ? parseDateTime(value) : null;
  } catch {
    return null;
  }
};

/**
 * A date and time in the browser's time zone (YYYY-MM-DDTHH:mm, as a native datetime-local input
 * gives it) typed day, month, year, hour and minute in the console's language (dd/mm/aaaa, --:-- in
 * Spanish; mm/dd/yyyy, --:-- AM/PM in English), whatever the browser's own locale. `onChange` gets ''
 * until every part is set.
 */
export function DateTimeField({ label, value, onChange, description, error, name }: Omit<DateFieldProps, 'isRequired'>) {
  const { i18n } = useTranslation();
  return (
    <I18nProvider locale={i18n.language}>
      <AriaDateField
        className="field"
        value={calendarDateTime(value)}
        onChange={(date) => onChange(date ? date.toString().slice(0, 16) : '')}
        isInvalid={Boolean(error)}
        name={name}
        granularity="minute"
        shouldForceLeadingZeros
      >
        <Label>{label}</Label>
        <DateInput className="date-input">{(segment) => <DateSegment segment={segment} />}</DateInput>
        {description && <Text slot="description">{description}</Text>}
        <FieldError>{error}</FieldError>
      </AriaDateField>
    </I18nProvider>
  );
}
