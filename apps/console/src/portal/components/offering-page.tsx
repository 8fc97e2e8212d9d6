import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { problemOf } from '../../api/problem';
import { ErrorMessage, Loading, QueryState } from '../../ui/feedback';
import { formatDuration, formatMoney } from '../../ui/format';
import { HoursList } from './hours-list';

type Offering = Schemas['SupportOfferingResponseDto'];
/** The collections policy in force as the API writes it out for a customer (libs/billing's published view). */
interface PublishedPolicy {
  version: number;
  effectiveOn: string;
  title: string;
  paragraphs: string[];
}

const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

/**
 * The plan's holidays from today on (local dates "YYYY-MM-DD" in the plan's time zone), written out
 * in the reader's language: the days the support hours above do not run.
 */
function ClosedDays({ holidays, timezone, language }: { holidays: string[]; timezone: string; language: string }) {
  const { t } = useTranslation();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date());
  const format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
  const upcoming = holidays.filter((day) => day >= today).sort();
  if (upcoming.length === 0) return null;
  return <p>{t('portal.offering.closedOn', { dates: upcoming.map((day) => format.format(new Date(`${day}T00:00:00Z`))).join('; ') })}</p>;
}

function contactHref(point: Offering['contactPoints'][number]): string {
  if (point.channel === 'email') return `mailto:${point.address}`;
  if (point.channel === 'phone') return `tel:${point.address}`;
  return point.address;
}

/** What the customer bought: scope, how and when to reach the partner, targets, price; and the collections policy. */
export function OfferingPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'es' ? 'es' : 'en';
  const offering = api.useQuery('get', '/api/v1/me/support-offering', { params: { query: { locale } } });
  return (
    <section className="page portal-page" aria-labelledby="offering-title">
      <QueryState query={offering}>
        {(plan) => (
          <>
            <h1 id="offering-title">{t('portal.offering.title', { plan: plan.name })}</h1>
            <div className="portal-grid">
              <section className="panel" aria-labelledby="scope-title">
                <h2 id="scope-title">{t('portal.offering.scope')}</h2>
                {plan.scope ? (
                  <>
                    <h3>{t('portal.offering.included')}</h3>
                    <p className="prose">{plan.scope.included}</p>
                    <h3>{t('portal.offering.excluded')}</h3>
                    <p className="prose">{plan.scope.excluded}</p>
                  </>
                ) : (
                  <p>{t('portal.offering.noScope')}</p>
                )}
              </section>
              <section className="panel" aria-labelledby="price-title">
                <h2 id="price-title">{t('portal.offering.price')}</h2>
                <p className="price">
                  {plan.price ? t(`portal.offering.per.${plan.price.period}`, { amount: formatMoney(plan.price.amountMinor, plan.price.currency) }) : t('portal.offering.free')}
                </p>
                <h2>{t('portal.offering.supportHours')}</h2>
                <HoursList windows={plan.businessHours} timezone={plan.timezone} />
                <ClosedDays holidays={plan.holidays} timezone={plan.timezone} language={locale} />
              </section>
            </div>
            <section className="panel" aria-labelledby="contact-title">
              <h2 id="contact-title">{t('portal.offering.contact')}</h2>
              {plan.contactPoints.length === 0 ? (
                <p>{t('portal.offering.noContactPoints', { channels: plan.contactMethods.map((m) => t(`contact.${m}`)).join(', ') })}</p>
              ) : (
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('portal.offering.channel')}</th>
                      <th scope="col">{t('portal.offering.address')}</th>
                      <th scope="col">{t('portal.offering.hours')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.contactPoints.map((point) => (
                      <tr key={`${point.channel}:${point.address}`}>
                        <th scope="row">{t(`contact.${point.channel}`)}</th>
                        <td>
                          <a href={contactHref(point)}>{point.address}</a>
                        </td>
                        <td>
                          <HoursList windows={point.hours} timezone={point.timezone} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section className="panel" aria-labelledby="targets-title">
              <h2 id="targets-title">{t('portal.offering.targets')}</h2>
              <p>{t('portal.offering.targetsHelp')}</p>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t('ticket.priority')}</th>
                    <th scope="col">{t('portal.offering.firstResponse')}</th>
                    <th scope="col">{t('portal.offering.resolution')}</th>
                  </tr>
                </thead>
                <tbody>
                  {PRIORITIES.map((p) => (
                    <tr key={p}>
                      <th scope="row">{t(`priority.${p}`)}</th>
                      <td>{formatDuration(plan.targets[p].firstResponseMinutes * 60_000, 'hour')}</td>
                      <td>{formatDuration(plan.targets[p].resolutionMinutes * 60_000, 'hour')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </>
        )}
      </QueryState>
      <CollectionsPolicy locale={locale} />
    </section>
  );
}

function CollectionsPolicy({ locale }: { locale: 'es' | 'en' }) {
  const { t } = useTranslation();
  const policy = api.useQuery('get', '/api/v1/collections-policy', { params: { query: { locale } } }, { retry: false });
  const body = policy.data as PublishedPolicy | undefined;
  const failure: unknown = policy.error;
  return (
    <section className="panel" aria-labelledby="policy-title">
      <h2 id="policy-title">{t('portal.offering.policy')}</h2>
      {failure ? (
        problemOf(failure)?.status === 404 ? <p>{t('portal.offering.noPolicy')}</p> : <ErrorMessage error={failure} />
      ) : policy.isPending ? (
        <Loading />
      ) : (
        body && (
          <>
            <h3>{body.title}</h3>
            {body.paragraphs.map((paragraph, i) => (
              <p key={i} className="prose">
                {paragraph}
              </p>
            ))}
          </>
        )
      )}
    </section>
  );
}
