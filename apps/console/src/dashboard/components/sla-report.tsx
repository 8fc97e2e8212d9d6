import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, type Schemas } from '../../api/client';
import { DateField } from '../../ui/date-field';
import { SelectField } from '../../ui/fields';
import { QueryState } from '../../ui/feedback';
import { formatNumber } from '../../ui/format';

type Grouping = Schemas['SlaReportDto']['groupBy'];
const GROUPINGS: Grouping[] = ['queue', 'priority', 'customer'];
const DAY_MS = 86_400_000;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const share = (target: Schemas['SlaTargetComplianceDto']) => (target.met + target.breached === 0 ? null : target.met / (target.met + target.breached));

/** SLA compliance of the tickets created in a chosen range, by queue, priority or customer: a chart and the same figures as a table. */
export function SlaReport() {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => day(Date.now() - 29 * DAY_MS));
  const [to, setTo] = useState(() => day(Date.now()));
  const [groupBy, setGroupBy] = useState<Grouping>('queue');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const report = api.useQuery(
    'get',
    '/api/v1/reports/sla',
    { params: { query: { from: `${from}T00:00:00.000Z`, to: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString(), groupBy } } },
    { enabled: valid },
  );
  const label = (group: Schemas['SlaReportGroupDto']) => group.name ?? group.key ?? t('dashboard.unrouted');

  return (
    <section className="panel" aria-labelledby="sla-title">
      <h2 id="sla-title">{t('dashboard.slaReport')}</h2>
      <div className="filters">
        <DateField label={t('dashboard.from')} value={from} onChange={setFrom} />
        <DateField label={t('dashboard.to')} value={to} onChange={setTo} />
        <SelectField label={t('dashboard.groupBy')} value={groupBy} onChange={setGroupBy} options={GROUPINGS.map((g) => ({ value: g, label: t(`dashboard.grouping.${g}`) }))} />
      </div>
      <QueryState query={report}>
        {(data) => {
          const rows = data.groups.map((group) => ({
            name: label(group),
            firstMet: group.firstResponse.met,
            firstBreached: group.firstResponse.breached,
            resolutionMet: group.resolution.met,
            resolutionBreached: group.resolution.breached,
          }));
          return (
            <>
              <figure className="chart">
                <figcaption>{t('dashboard.slaChart')}</figcaption>
                <ResponsiveContainer width="100%" height={260}>
                  <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="name" />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Legend formatter={(value: string) => <span className="legend-text">{value}</span>} />
                    <Bar dataKey="firstMet" name={t('dashboard.firstMet')} stackId="first" fill="#2f855a" />
                    <Bar dataKey="firstBreached" name={t('dashboard.firstBreached')} stackId="first" fill="#c53030" />
                    <Bar dataKey="resolutionMet" name={t('dashboard.resolutionMet')} stackId="resolution" fill="#68d391" />
                    <Bar dataKey="resolutionBreached" name={t('dashboard.resolutionBreached')} stackId="resolution" fill="#fc8181" />
                  </BarChart>
                </ResponsiveContainer>
              </figure>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t(`dashboard.grouping.${data.groupBy}`)}</th>
                    <th scope="col">{t('dashboard.tickets')}</th>
                    <th scope="col">{t('dashboard.firstCompliance')}</th>
                    <th scope="col">{t('dashboard.resolutionCompliance')}</th>
                    <th scope="col">{t('dashboard.pendingTargets')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...data.groups.map((g) => ({ ...g, title: label(g) })), { ...data.totals, key: 'total', title: t('dashboard.total') }].map((row) => {
                    const first = share(row.firstResponse);
                    const resolution = share(row.resolution);
                    return (
                      <tr key={row.key ?? '-'}>
                        <th scope="row">{row.title}</th>
                        <td>{row.tickets}</td>
                        <td>{first === null ? '—' : formatNumber(first, { style: 'percent', maximumFractionDigits: 1 })}</td>
                        <td>{resolution === null ? '—' : formatNumber(resolution, { style: 'percent', maximumFractionDigits: 1 })}</td>
                        <td>{row.firstResponse.pending + row.resolution.pending}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
