import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { actorOf, Principal } from '@helpdesk/auth';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { localDate, LocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { DunningSchedule } from '../dunning/dunning-schedule';
import { MoneyView, moneyView } from '../money/money';
import { checkPolicy, PolicyInput, PolicyStep, PolicyVersion, Product, RestoreRequirement } from './collections-policy';
import { Locale, policyText } from './policy-text';

interface VersionRow {
  version: number;
  effective_on: string;
  timezone: string;
  steps: PolicyStep[];
  minimum_amounts: Array<{ currency: string; minor: number }>;
  created_at: Date;
}

export interface PolicyStepView {
  position: number;
  action: PolicyStep['action'];
  days: number;
  products?: Product[] | 'all';
  restoreRequires?: RestoreRequirement;
}

export interface PolicyView {
  version: number;
  effectiveOn: LocalDate;
  timezone: string;
  steps: PolicyStepView[];
  minimumAmounts: MoneyView[];
  createdAt: string;
}

export interface PublishedPolicyView extends PolicyView {
  locale: Locale;
  title: string;
  paragraphs: string[];
}

/** The partner's calendar: today there, and the time zone it is counted in (UTC before there is a policy). */
export interface PartnerCalendar {
  today: LocalDate;
  timezone: string;
}

const SELECT_VERSIONS = `SELECT version, effective_on::text AS effective_on, timezone, steps, minimum_amounts, created_at FROM collections_policy_versions`;

const toVersion = (r: VersionRow): PolicyVersion => ({
  version: r.version,
  effectiveOn: r.effective_on,
  timezone: r.timezone,
  steps: r.steps,
  minimumAmounts: r.minimum_amounts,
  createdAt: new Date(r.created_at),
});

export function policyView(v: PolicyVersion): PolicyView {
  return {
    version: v.version,
    effectiveOn: v.effectiveOn,
    timezone: v.timezone,
    steps: v.steps.map((s, position) => ({
      position,
      action: s.action,
      days: s.days,
      ...(s.action === 'suspend' ? { products: s.products ?? 'all', restoreRequires: s.restoreRequires! } : {}),
    })),
    minimumAmounts: v.minimumAmounts.map((m) => moneyView(m.minor, m.currency)),
    createdAt: v.createdAt.toISOString(),
  };
}

/** The partner's collections policy: one, versioned; each PUT makes a new version. */
@Injectable()
export class CollectionsPolicyService {
  private readonly logger = new Logger('CollectionsPolicy');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: BillingClock,
    private readonly schedule: DunningSchedule,
    private readonly audit: AuditService,
  ) {}

  /** Every version, oldest first. */
  async versions(manager: EntityManager = this.dataSource.manager): Promise<PolicyVersion[]> {
    const rows: VersionRow[] = await manager.query(`${SELECT_VERSIONS} ORDER BY version`);
    return rows.map(toVersion);
  }

  async latest(manager: EntityManager = this.dataSource.manager): Promise<PolicyVersion | null> {
    const [row]: VersionRow[] = await manager.query(`${SELECT_VERSIONS} ORDER BY version DESC LIMIT 1`);
    return row ? toVersion(row) : null;
  }

  /** The partner's time zone: the latest version's (UTC before there is a policy). */
  async timezone(manager?: EntityManager): Promise<string> {
    return (await this.latest(manager))?.timezone ?? 'UTC';
  }

  /** Today in the partner's time zone. */
  async today(manager?: EntityManager): Promise<LocalDate> {
    return localDate(this.clock.now(), await this.timezone(manager));
  }

  /** The partner's calendar day and time zone, as dunning runs and payments count days (for a screen's default date and its limit). */
  async calendar(): Promise<PartnerCalendar> {
    const timezone = await this.timezone();
    return { today: localDate(this.clock.now(), timezone), timezone };
  }

  /**
   * A new version, effective from today in its time zone (never before the previous version's
   * date): invoices falling due from then on follow it, earlier ones keep theirs.
   */
  async put(principal: Principal, input: PolicyInput): Promise<PolicyView> {
    const { steps, minimumAmounts, problems } = checkPolicy(input);
    if (problems.length > 0) {
      throw new DomainError(DomainErrorCode.Invalid, problems.map((p) => p.message).join('; '), { errors: problems });
    }
    const actor = actorOf(principal);
    const created = await this.dataSource.transaction(async (manager) => {
      // One version at a time: numbers and effective dates never interleave.
      await manager.query(`LOCK TABLE collections_policy_versions IN SHARE ROW EXCLUSIVE MODE`);
      const previous = await this.latest(manager);
      const today = localDate(this.clock.now(), input.timezone);
      const effectiveOn = previous && previous.effectiveOn > today ? previous.effectiveOn : today;
      const [row]: VersionRow[] = await manager.query(
        `INSERT INTO collections_policy_versions (version, effective_on, timezone, steps, minimum_amounts, actor_kind, actor_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING version, effective_on::text AS effective_on, timezone, steps, minimum_amounts, created_at`,
        [(previous?.version ?? 0) + 1, effectiveOn, input.timezone, JSON.stringify(steps), JSON.stringify(minimumAmounts), actor.kind, actor.id, this.clock.now()],
      );
      const version = toVersion(row);
      await this.audit.record(manager, {
        entity: 'collections_policy',
        entityId: String(version.version),
        action: 'created',
        before: previous ? policyView(previous) : null,
        after: policyView(version),
      });
      return version;
    });
    // The daily run moves to the new time zone; if Redis is away, the worker does it when it starts or runs.
    await this.schedule.sync(created.timezone).catch((error: Error) => this.logger.warn(`daily dunning schedule not moved to ${created.timezone}: ${error.message}`));
    return policyView(created);
  }

  async current(): Promise<PolicyView> {
    const latest = await this.latest();
    if (!latest) throw new DomainError(DomainErrorCode.NotFound, 'No collections policy has been published yet');
    return policyView(latest);
  }

  async list(): Promise<PolicyView[]> {
    return (await this.versions()).map(policyView);
  }

  /** The policy in force, written out in the reader's language. */
  async published(locale: Locale): Promise<PublishedPolicyView> {
    const latest = await this.latest();
    if (!latest) throw new DomainError(DomainErrorCode.NotFound, 'No collections policy has been published yet');
    return { ...policyView(latest), locale, ...policyText(latest, locale) };
  }
}
