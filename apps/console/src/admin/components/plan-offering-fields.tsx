import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { LANGUAGES, type Language } from '../../i18n/i18n';
import { useFieldErrors } from '../../ui/field-errors';
import { SelectField, TextField } from '../../ui/fields';
import { WindowsEditor } from './windows-editor';

export type ContactPoint = Schemas['ContactPointDto'];
type Scopes = Schemas['PlanScopesDto'];
type Method = Schemas['SupportPlanResponseDto']['contactMethods'][number];

/** Channels a contact point may have (chat has no address to publish). */
const POINT_CHANNELS = ['email', 'phone', 'portal'] as const satisfies readonly ContactPoint['channel'][];

/** The scope as typed: both languages, each what is included and what is not. */
export type ScopeDraft = Scopes;

const SCOPE_PARTS = ['included', 'excluded'] as const;

const EMPTY_SCOPE: ScopeDraft = { es: { included: '', excluded: '' }, en: { included: '', excluded: '' } };

export const scopeDraftOf = (scope: Scopes | null): ScopeDraft => scope ?? EMPTY_SCOPE;

/** Nothing written is no scope (null); anything written is sent whole, and the API names what is missing. */
export function scopeOf(draft: ScopeDraft): Scopes | null {
  const trimmed = { es: { included: draft.es.included.trim(), excluded: draft.es.excluded.trim() }, en: { included: draft.en.included.trim(), excluded: draft.en.excluded.trim() } };
  return Object.values(trimmed).every((s) => !s.included && !s.excluded) ? null : trimmed;
}

/** What the plan covers and what it does not, in Spanish and English: customers read it in their language. */
export function ScopeFields({ scope, onChange, error }: { scope: ScopeDraft; onChange: (scope: ScopeDraft) => void; error: unknown }) {
  const { t } = useTranslation();
  const fieldError = useFieldErrors(error);
  const set = (language: Language, key: (typeof SCOPE_PARTS)[number], value: string) => onChange({ ...scope, [language]: { ...scope[language], [key]: value } });
  return (
    <fieldset>
      <legend>{t('plans.scope')}</legend>
      <p className="muted">{t('plans.scopeHelp')}</p>
      {LANGUAGES.map((language) => (
        <div key={language} className="inline">
          {SCOPE_PARTS.map((part) => (
            <TextField
              key={part}
              label={t(`plans.${part}`, { language: t(`layout.languages.${language}`) })}
              value={scope[language][part]}
              onChange={(v) => set(language, part, v)}
              multiline
              rows={2}
              error={fieldError(`scope.${language}.${part}`, t(`plans.${part}`, { language: t(`layout.languages.${language}`) }))}
            />
          ))}
        </div>
      ))}
    </fieldset>
  );
}

/**
 * The plan's published contact points: an e-mail address, a phone number (E.164) or a portal URL,
 * each with the time zone and weekly hours it is attended in (none: 24×7). The API checks each
 * address against its channel and the channel against the plan's contact methods, and the page
 * shows what it says on the field it names.
 */
export function ContactPointsEditor({ points, onChange, methods, timezone, error }: { points: ContactPoint[]; onChange: (points: ContactPoint[]) => void; methods: readonly Method[]; timezone: string; error: unknown }) {
  const { t } = useTranslation();
  const fieldError = useFieldErrors(error);
  const set = (index: number, patch: Partial<ContactPoint>) => onChange(points.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  const firstChannel = POINT_CHANNELS.find((c) => methods.includes(c)) ?? 'email';

  return (
    <fieldset>
      <legend>{t('plans.contactPoints')}</legend>
      <p className="muted">{t('plans.contactPointsHelp')}</p>
      {points.map((point, index) => {
        const of = t('plans.contactPointOf', { n: index + 1 });
        const at = `contactPoints.${index}`;
        return (
          <div key={index} className="panel contact-point" role="group" aria-label={of}>
            <div className="inline">
              <SelectField
                label={`${t('plans.channel')} (${of})`}
                value={point.channel}
                onChange={(channel) => set(index, { channel })}
                options={POINT_CHANNELS.map((c) => ({ value: c, label: t(`contact.${c}`) }))}
                error={fieldError(`${at}.channel`, `${t('plans.channel')} (${of})`)}
              />
              <TextField label={`${t('plans.address')} (${of})`} value={point.address} onChange={(address) => set(index, { address })} description={t('plans.addressHelp')} error={fieldError(`${at}.address`, `${t('plans.address')} (${of})`)} />
              <TextField label={`${t('plans.timezone')} (${of})`} value={point.timezone} onChange={(tz) => set(index, { timezone: tz })} error={fieldError(`${at}.timezone`, `${t('plans.timezone')} (${of})`)} />
            </div>
            <p className="muted">{t('plans.pointHoursHelp')}</p>
            <WindowsEditor windows={point.hours} onChange={(hours) => set(index, { hours })} of={of} />
            {fieldError(`${at}.hours`) && <p className="field-error">{fieldError(`${at}.hours`, of)}</p>}
            <Button className="button small danger" onPress={() => onChange(points.filter((_, i) => i !== index))}>
              {t('plans.removeContactPoint', { n: index + 1 })}
            </Button>
          </div>
        );
      })}
      <Button className="button small" onPress={() => onChange([...points, { channel: firstChannel, address: '', timezone, hours: [] }])}>
        {t('plans.addContactPoint')}
      </Button>
    </fieldset>
  );
}
