import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError } from '@helpdesk/http';
import { SupportPlan } from './support-plan.entity';
import { checkPlanConsistency } from './support-plan.rules';

export type SupportPlanInput = Pick<SupportPlan, 'name' | 'timezone' | 'businessHours' | 'holidays' | 'contactMethods' | 'price' | 'targets'>;

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
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

const normalise = (input: SupportPlanInput): SupportPlanInput => ({
  ...input,
  name: input.name.trim(),
  businessHours: [...input.businessHours].sort((a, b) => a.day - b.day || a.start.localeCompare(b.start)),
  holidays: [...new Set(input.holidays)].sort(),
  contactMethods: [...new Set(input.contactMethods)],
});

/** The partner's declared support offerings; every change audited in its transaction. */
@Injectable()
export class SupportPlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(input: SupportPlanInput): Promise<SupportPlanView> {
    checkPlanConsistency(input);
    return this.dataSource.transaction(async (manager) => {
      const view = toSupportPlanView(await manager.save(manager.create(SupportPlan, normalise(input))));
      await this.audit.record(manager, { entity: 'support_plan', entityId: view.id, action: 'created', before: null, after: view });
      return view;
    });
  }

  async update(id: string, patch: Partial<SupportPlanInput>): Promise<SupportPlanView> {
    return this.dataSource.transaction(async (manager) => {
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
  }

  async get(id: string): Promise<SupportPlanView> {
    return toSupportPlanView(await this.entity(id));
  }

  async entity(id: string): Promise<SupportPlan> {
    const plan = await this.dataSource.getRepository(SupportPlan).findOne({ where: { id } });
    if (!plan) throw DomainError.notFound('Support plan', id);
    return plan;
  }

  async list(): Promise<SupportPlanView[]> {
    const plans = await this.dataSource.getRepository(SupportPlan).find({ order: { createdAt: 'ASC' } });
    return plans.map(toSupportPlanView);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
