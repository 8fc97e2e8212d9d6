import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError } from '@helpdesk/http';
import { BusinessWindow, ContactPoint, OfferingLocale, PlanPrice, PlanScope, PlanTargets, SupportPlan } from './support-plan.entity';
import { checkPlanConsistency } from './support-plan.rules';
import { CustomerLocaleService, Locale } from '../customers/customer-locale.service';
import { DirectoryCache } from '../directory/directory-cache';

export type SupportPlanInput = Pick<SupportPlan, 'name' | 'timezone' | 'businessHours' | 'holidays' | 'contactMethods' | 'price' | 'targets' | 'scope' | 'contactPoints'>;

export interface SupportPlanView extends SupportPlanInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export const toSupportPlanView = (p: SupportPlan): SupportPlanView => ({
  id: p.id,
  name: p.name,
  timezone: p.timezone,
  businessHours: p.businessHours,
  holidays: p.holidays,
  contactMethods: p.contactMethods,
  price: p.price,
  targets: p.targets,
  scope: p.scope,
  contactPoints: p.contactPoints,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

const byDayAndStart = (windows: BusinessWindow[]): BusinessWindow[] => [...windows].sort((a, b) => a.day - b.day || a.start.localeCompare(b.start));

const normalise = (input: SupportPlanInput): SupportPlanInput => ({
  ...input,
  name: input.name.trim(),
  businessHours: byDayAndStart(input.businessHours),
  contactPoints: (input.contactPoints ?? []).map((p) => ({ ...p, hours: byDayAndStart(p.hours) })),
  holidays: [...new Set(input.holidays)].sort(),
  contactMethods: [...new Set(input.contactMethods)],
});

/** What a customer is told of its plan, in one language. */
export interface SupportOfferingView {
  planId: string;
  name: string;
  locale: OfferingLocale;
  /** null while the partner has not written the plan's scope. */
  scope: PlanScope | null;
  contactMethods: SupportPlan['contactMethods'];
  contactPoints: ContactPoint[];
  timezone: string;
  businessHours: BusinessWindow[];
  holidays: string[];
  price: PlanPrice | null;
  targets: PlanTargets;
}

/** The partner's declared support offerings; every change audited in its transaction. */
@Injectable()
export class SupportPlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly locales: CustomerLocaleService,
    private readonly directory: DirectoryCache,
  ) {}

  async create(input: SupportPlanInput): Promise<SupportPlanView> {
    checkPlanConsistency(input);
    const created = await this.dataSource.transaction(async (manager) => {
      const view = toSupportPlanView(await manager.save(manager.create(SupportPlan, normalise(input))));
      await this.audit.record(manager, { entity: 'support_plan', entityId: view.id, action: 'created', before: null, after: view });
      return view;
    });
    await this.directory.changed('support-plans');
    return created;
  }

  async update(id: string, patch: Partial<SupportPlanInput>): Promise<SupportPlanView> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const plan = await manager.findOne(SupportPlan, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw DomainError.notFound('Support plan', id);
      const before = toSupportPlanView(plan);
      const merged: SupportPlanInput = { ...plan, ...stripUndefined(patch) };
      checkPlanConsistency(merged);
      Object.assign(plan, normalise(merged));
      const after = toSupportPlanView(await manager.save(plan));
      await this.audit.record(manager, { entity: 'support_plan', entityId: id, action: 'updated', before, after });
      return after;
    });
    await this.directory.changed('support-plans');
    return updated;
  }

  async get(id: string): Promise<SupportPlanView> {
    return toSupportPlanView(await this.entity(id));
  }

  /** Inside a transaction, pass its manager (one connection per caller, never a second one from the pool). */
  async entity(id: string, manager?: EntityManager): Promise<SupportPlan> {
    const plan = await (manager ?? this.dataSource.manager).getRepository(SupportPlan).findOne({ where: { id } });
    if (!plan) throw DomainError.notFound('Support plan', id);
    return plan;
  }

  /** The plans of these customers, by customer id, in one statement inside `manager`'s transaction (a customer without a plan is left out). */
  async entitiesOfCustomers(manager: EntityManager, customerIds: readonly string[]): Promise<Map<string, SupportPlan>> {
    const plans = new Map<string, SupportPlan>();
    if (customerIds.length === 0) return plans;
    const { entities, raw } = await manager
      .getRepository(SupportPlan)
      .createQueryBuilder('p')
      .innerJoin('customers', 'c', 'c.support_plan_id = p.id')
      .addSelect('c.id', 'customer_id')
      .where('c.id = ANY(:ids)', { ids: [...new Set(customerIds)] })
      .getRawAndEntities<{ customer_id: string; p_id: string }>();
    const byId = new Map(entities.map((plan) => [plan.id, plan]));
    for (const row of raw) {
      const plan = byId.get(row.p_id);
      if (plan) plans.set(row.customer_id, plan);
    }
    return plans;
  }

  /** A customer's own plan as it was declared to it, in the language asked for, else the browser's, else its contact's. */
  async offeringFor(who: { customerId: string; contactId?: string }, asked: { locale?: Locale; acceptLanguage?: string }): Promise<SupportOfferingView> {
    const plan = await this.customerPlan(who.customerId);
    const locale: OfferingLocale = await this.locales.customerLocale(this.dataSource.manager, who, asked);
    return {
      planId: plan.id,
      name: plan.name,
      locale,
      scope: plan.scope?.[locale] ?? null,
      contactMethods: plan.contactMethods,
      contactPoints: plan.contactPoints,
      timezone: plan.timezone,
      businessHours: plan.businessHours,
      holidays: plan.holidays,
      price: plan.price,
      targets: plan.targets,
    };
  }

  /** A plan as a customer may read it: its own plan only; any other is a 404, as if it did not exist. */
  async getForCustomer(customerId: string, id: string): Promise<SupportPlanView> {
    const plan = await this.customerPlan(customerId);
    if (plan.id !== id) throw DomainError.notFound('Support plan', id);
    return toSupportPlanView(plan);
  }

  private async customerPlan(customerId: string): Promise<SupportPlan> {
    const plan = await this.dataSource
      .getRepository(SupportPlan)
      .createQueryBuilder('p')
      .innerJoin('customers', 'c', 'c.support_plan_id = p.id')
      .where('c.id = :customerId', { customerId })
      .getOne();
    if (!plan) throw DomainError.notFound('Customer', customerId);
    return plan;
  }

  /** Every plan (kept in the process until one changes: DirectoryCache). */
  list(): Promise<SupportPlanView[]> {
    return this.directory.get('support-plans', async () => {
      const plans = await this.dataSource.getRepository(SupportPlan).find({ order: { createdAt: 'ASC' } });
      return plans.map(toSupportPlanView);
    });
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
