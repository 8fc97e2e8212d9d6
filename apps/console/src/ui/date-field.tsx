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

/** What a date field shows and gives: a day, or a day and a minute. */
interface Granularity {
  granularity: 'day' | 'minute';
  parse: (value: string) => CalendarDate | CalendarDateTime;
  format: (date: CalendarDate | CalendarDateTime) => string;
}

const DAY: Granularity = { granularity: 'day', parse: parseDate, format: (date) => date.toString() };
/** As a native datetime-local input gives it: YYYY-MM-DDTHH:mm. */
const MINUTE: Granularity = { granularity: 'minute', parse: parseDateTime, format: (date) => date.toString().slice(0, 16) };

/** React Aria's DateField in the console's language, whatever the browser's own locale; `onChange` gets '' until every part is set. */
function SegmentedDateField({ label, value, onChange, description, error, isRequired, name, of }: DateFieldProps & { of: Granularity }) {
  const { i18n } = useTranslation();
  let parsed: CalendarDate | CalendarDateTime | null = null;
  try {
    parsed = value ? of.parse(value) : null;
  } catch {
    parsed = null;
  }
  return (
    <I18nProvider locale={i18n.language}>
      <AriaDateField
        className="field"
        value={parsed}
        onChange={(date) => onChange(date ? of.format(date) : '')}
        isRequired={isRequired}
        isInvalid={Boolean(error)}
        name={name}
        granularity={of.granularity}
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

/**
 * A calendar date (YYYY-MM-DD) typed day, month and year in the console's language (dd/mm/aaaa in
 * Spanish), one spin button per part, where a native date input would follow the browser.
 */
export function DateField(props: DateFieldProps) {
  return <SegmentedDateField {...props} of={DAY} />;
}

/**
 * A date and time in the browser's time zone (YYYY-MM-DDTHH:mm) typed day, month, year, hour and
 * minute in the console's language (dd/mm/aaaa, --:-- in Spanish; mm/dd/yyyy, --:-- AM/PM in English).
 */
export function DateTimeField(props: Omit<DateFieldProps, 'isRequired'>) {
  return <SegmentedDateField {...props} of={MINUTE} />;
}

/** A DateTimeField's value (the browser's local time, YYYY-MM-DDTHH:mm) as the instant the API wants; '' is none. */
export const instant = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
