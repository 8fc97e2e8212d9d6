import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, FieldErrorCode } from '@helpdesk/http';

export const SLA_REPORT_GROUPINGS = ['queue', 'priority', 'customer'] as const;
export type SlaReportGrouping = (typeof SLA_REPORT_GROUPINGS)[number];

/** The longest period one report may cover. */
export const SLA_REPORT_MAX_DAYS = 366;

export interface SlaReportQuery {
  from: string;
  to: string;
  groupBy?: SlaReportGrouping;
}

/** One SLA target over a set of tickets. `medianMinutes`: creation to first response/resolution. */
export interface SlaTargetCompliance {
  met: number;
  breached: number;
  pending: number;
  medianMinutes: number | null;
}

export interface SlaComplianceRow {
  tickets: number;
  firstResponse: SlaTargetCompliance;
  resolution: SlaTargetCompliance;
}

export interface SlaReportGroup extends SlaComplianceRow {
  /** The queue (null: not triaged yet), the priority, or the customer id. */
  key: string | null;
  /** The customer's name (customer groups only). */
  name?: string;
}

export interface SlaReport {
  from: string;
  to: string;
  groupBy: SlaReportGrouping;
  groups: SlaReportGroup[];
  totals: SlaComplianceRow;
}

const GROUPINGS: Record<SlaReportGrouping, { key: string; name: string; join: string; order: string }> = {
  queue: { key: 't.queue', name: 'NULL::text', join: '', order: 'key NULLS LAST' },
  priority: { key: 't.priority', name: 'NULL::text', join: '', order: 'key' },
  customer: { key: 't.customer_id::text', name: 'c.name', join: 'JOIN customers c ON c.id = t.customer_id', order: 'name, key' },
};

/**
 * Per target (prefix fr = first response, rs = resolution), over tickets that have that SLA (due
 * date set): met = done at or before the due date (and never flagged); breached = flagged by the
 * monitor or done after the due date; pending = neither done nor breached. Exclusive, so
 * met + breached + pending = tickets with that SLA.
 */
const measures = (p: 'fr' | 'rs') => `
  (count(*) FILTER (WHERE ${p}_due IS NOT NULL AND NOT ${p}_flag AND ${p}_at <= ${p}_due))::int AS ${p}_met,
  (count(*) FILTER (WHERE ${p}_due IS NOT NULL AND (${p}_flag OR ${p}_at > ${p}_due)))::int AS ${p}_breached,
  (count(*) FILTER (WHERE ${p}_due IS NOT NULL AND NOT ${p}_flag AND ${p}_at IS NULL))::int AS ${p}_pending,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${p}_at - created_at)::float8 / 60)
    FILTER (WHERE ${p}_due IS NOT NULL AND ${p}_at IS NOT NULL) AS ${p}_median`;

/** One statement: a row per group plus the totals row (GROUPING SETS). */
const reportSql = (g: (typeof GROUPINGS)[SlaReportGrouping]) => `
  WITH period AS (
    SELECT ${g.key} AS key, ${g.name} AS name, t.created_at,
           t.first_responded_at AS fr_at, t.first_response_due_at AS fr_due, t.sla_first_response_breached AS fr_flag,
           t.resolved_at AS rs_at, t.resolution_due_at AS rs_due, t.sla_resolution_breached AS rs_flag
      FROM tickets t ${g.join}
     WHERE t.created_at >= $1 AND t.created_at < $2
  )
  SELECT GROUPING(key, name) <> 0 AS is_total, key, name, count(*)::int AS tickets,${measures('fr')},${measures('rs')}
    FROM period
   GROUP BY GROUPING SETS ((key, name), ())
   ORDER BY is_total, ${g.order}`;

interface ReportRow {
  is_total: boolean;
  key: string | null;
  name: string | null;
  tickets: number;
  fr_met: number;
  fr_breached: number;
  fr_pending: number;
  fr_median: number | null;
  rs_met: number;
  rs_breached: number;
  rs_pending: number;
  rs_median: number | null;
}

const EMPTY_TOTALS: SlaComplianceRow = {
  tickets: 0,
  firstResponse: { met: 0, breached: 0, pending: 0, medianMinutes: null },
  resolution: { met: 0, breached: 0, pending: 0, medianMinutes: null },
};

/** SLA compliance (first response and resolution) of the tickets created in a period. */
@Injectable()
export class SlaReportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(query: SlaReportQuery): Promise<SlaReport> {
    const from = instant('from', query.from);
    const to = instant('to', query.to);
    if (to <= from) throw DomainError.rangeOrder('must be after from');
    if (to.getTime() - from.getTime() > SLA_REPORT_MAX_DAYS * 86_400_000) {
      throw DomainError.invalid('to', `must be at most ${SLA_REPORT_MAX_DAYS} days after from`, FieldErrorCode.RangeTooLong, { maxDays: SLA_REPORT_MAX_DAYS });
    }
    const groupBy = query.groupBy ?? 'queue';
    const rows: ReportRow[] = await this.dataSource.query(reportSql(GROUPINGS[groupBy]), [from, to]);
    const groups = rows
      .filter((r) => !r.is_total)
      .map((r): SlaReportGroup => ({ key: r.key, ...(groupBy === 'customer' ? { name: r.name ?? '' } : {}), ...compliance(r) }));
    const total = rows.find((r) => r.is_total);
    return { from: from.toISOString(), to: to.toISOString(), groupBy, groups, totals: total ? compliance(total) : EMPTY_TOTALS };
  }
}

function instant(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw DomainError.invalid(field, 'must be an ISO 8601 date-time');
  return date;
}

const minutes = (v: number | null): number | null => (v === null ? null : Math.round(Number(v) * 100) / 100);

function compliance(r: ReportRow): SlaComplianceRow {
  return {
    tickets: r.tickets,
    firstResponse: { met: r.fr_met, breached: r.fr_breached, pending: r.fr_pending, medianMinutes: minutes(r.fr_median) },
    resolution: { met: r.rs_met, breached: r.rs_breached, pending: r.rs_pending, medianMinutes: minutes(r.rs_median) },
  };
}
