import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { CONTACT_METHODS, PRIORITIES } from '../../ticket/ticket-values';
import { DateField } from '../../ui/date-field';
import { ChoiceGroup, SelectField, Switch, TextField } from '../../ui/fields';
import { ContactPointsEditor, scopeDraftOf, ScopeFields, scopeOf, type ContactPoint, type ScopeDraft } from './plan-offering-fields';
import { WEEKDAYS, WindowsEditor, type Window } from './windows-editor';
import { LANGUAGES } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { useFieldErrors } from '../../ui/field-errors';
import { fromMinorUnits, toMinorUnits } from '../../ui/format';

type Plan = Schemas['SupportPlanResponseDto'];
type PlanBody = Schemas['CreateSupportPlanDto'];
const PERIODS = ['month', 'year', 'incident'] as const satisfies readonly Schemas['PriceDto']['period'][];
const DEFAULT_TARGETS: PlanBody['targets'] = {
  P1: { firstResponseMinutes: 30, resolutionMinutes: 240 },
  P2: { firstResponseMinutes: 60, resolutionMinutes: 480 },
  P3: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
  P4: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
};

/**
 * A plan's declaration, with an editor for its weekly business hours (several windows a day allowed)
 * and its holidays, and what customers read of it as their support offering: the scope in Spanish
 * and English, the contact points with their hours, the price (sent in the currency's minor units).
 */
export function PlanEditor({ plan, onSaved }: { plan: Plan | null; onSaved: (plan: Plan) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(plan?.name ?? '');
  const [timezone, setTimezone] = useState(plan?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [windows, setWindows] = useState<Window[]>(plan?.businessHours ?? WEEKDAYS.slice(0, 5).map((day) => ({ day, start: '09:00', end: '18:00' })));
  const [holidays, setHolidays] = useState<string[]>(plan?.holidays ?? []);
  const [holiday, setHoliday] = useState('');
  const [contactMethods, setContactMethods] = useState<PlanBody['contactMethods']>(plan?.contactMethods ?? ['email', 'portal']);
  const [paid, setPaid] = useState(Boolean(plan?.price));
  const [price, setPrice] = useState<Schemas['PriceDto']>(plan?.price ?? { amountMinor: 0, currency: 'EUR', period: 'month' });
  // The amount as the user types it; sent in the currency's minor units.
  const [amount, setAmount] = useState(fromMinorUnits(price.amountMinor, price.currency));
  const [targets, setTargets] = useState(plan?.targets ?? DEFAULT_TARGETS);
  const [scope, setScope] = useState<ScopeDraft>(() => scopeDraftOf(plan?.scope ?? null));
  const [contactPoints, setContactPoints] = useState<ContactPoint[]>(plan?.contactPoints ?? []);
  const create = api.useMutation('post', '/api/v1/support-plans', { onSuccess: onSaved });
  const update = api.useMutation('patch', '/api/v1/support-plans/{id}', { onSuccess: onSaved });
  const failure = create.error ?? update.error;
  const fieldError = useFieldErrors(failure);
  /** The fields whose errors the form shows by the field itself. */
  const shown = ['name', 'timezone', ...LANGUAGES.flatMap((l) => [`scope.${l}.included`, `scope.${l}.excluded`]), ...contactPoints.flatMap((_, i) => ['channel', 'address', 'timezone', 'hours'].map((f) => `contactPoints.${i}.${f}`))];
  const setTarget = (priority: (typeof PRIORITIES)[number], key: 'firstResponseMinutes' | 'resolutionMinutes', value: string) =>
    setTargets((current) => ({ ...current, [priority]: { ...current[priority], [key]: Number(value) } }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: PlanBody = {
      name,
      timezone,
      businessHours: [...windows].sort((a, b) => a.day - b.day || a.start.localeCompare(b.start)),
      holidays: [...holidays].sort(),
      contactMethods,
      price: paid ? { ...price, amountMinor: toMinorUnits(amount, price.currency) } : null,
      targets,
      scope: scopeOf(scope),
      contactPoints,
    };
    if (plan) update.mutate({ params: { path: { id: plan.id } }, body });
    else create.mutate({ body });
  };

  return (
    <section className="panel" aria-labelledby="plan-editor-title">
      <h2 id="plan-editor-title">{plan ? plan.name : t('plans.new')}</h2>
      <Form onSubmit={submit} className="form-grid" validationBehavior="aria">
        <TextField label={t('plans.name')} value={name} onChange={setName} isRequired error={fieldError('name', t('plans.name'))} />
        <TextField label={t('plans.timezone')} value={timezone} onChange={setTimezone} description={t('plans.timezoneHelp')} isRequired error={fieldError('timezone', t('plans.timezone'))} />
        <fieldset>
          <legend>{t('plans.businessHours')}</legend>
          <p className="muted">{t('plans.businessHoursHelp')}</p>
          <WindowsEditor windows={windows} onChange={setWindows} />
        </fieldset>
        <fieldset>
          <legend>{t('plans.holidays')}</legend>
          <ul className="chips">
            {holidays.map((h) => (
              <li key={h}>
                {h}{' '}
                <Button className="button small" onPress={() => setHolidays((list) => list.filter((x) => x !== h))} aria-label={t('plans.removeHoliday', { date: h })}>
                  ✕
                </Button>
              </li>
            ))}
          </ul>
          <div className="inline">
            <DateField label={t('plans.holiday')} value={holiday} onChange={setHoliday} />
            <Button
              className="button small"
              isDisabled={!/^\d{4}-\d{2}-\d{2}$/.test(holiday)}
              onPress={() => {
                setHolidays((list) => (list.includes(holiday) ? list : [...list, holiday]));
                setHoliday('');
              }}
            >
              {t('plans.addHoliday')}
            </Button>
          </div>
        </fieldset>
        <ChoiceGroup label={t('plans.contactMethods')} value={contactMethods} onChange={setContactMethods} options={CONTACT_METHODS.map((m) => ({ value: m, label: t(`contact.${m}`) }))} />
        <fieldset>
          <legend>{t('plans.price')}</legend>
          <Switch isSelected={paid} onChange={setPaid}>
            {t('plans.paid')}
          </Switch>
          {paid && (
            <div className="inline">
              <TextField label={t('plans.amount')} value={amount} onChange={setAmount} />
              <TextField label={t('plans.currency')} value={price.currency} onChange={(currency) => setPrice((p) => ({ ...p, currency }))} />
              <SelectField label={t('plans.period')} value={price.period} onChange={(period) => setPrice((p) => ({ ...p, period }))} options={PERIODS.map((p) => ({ value: p, label: t(`plans.periods.${p}`) }))} />
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>{t('plans.targets')}</legend>
          <table className="targets">
            <thead>
              <tr>
                <th scope="col">{t('ticket.priority')}</th>
                <th scope="col">{t('plans.firstResponseMinutes')}</th>
                <th scope="col">{t('plans.resolutionMinutes')}</th>
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((priority) => (
                <tr key={priority}>
                  <th scope="row">{t(`priority.${priority}`)}</th>
                  <td>
                    <TextField label={t('plans.firstResponseOf', { priority })} className="compact" type="number" value={String(targets[priority].firstResponseMinutes)} onChange={(v) => setTarget(priority, 'firstResponseMinutes', v)} />
                  </td>
                  <td>
                    <TextField label={t('plans.resolutionOf', { priority })} className="compact" type="number" value={String(targets[priority].resolutionMinutes)} onChange={(v) => setTarget(priority, 'resolutionMinutes', v)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <ScopeFields scope={scope} onChange={setScope} error={failure} />
        <ContactPointsEditor points={contactPoints} onChange={setContactPoints} methods={contactMethods} timezone={timezone} error={failure} />
        <ErrorMessage error={failure} shown={shown} />
        <Button type="submit" className="button primary" isDisabled={create.isPending || update.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </section>
  );
}
