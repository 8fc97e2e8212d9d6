import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SupportPlan } from '@helpdesk/intake';
import { SlaClockService } from './sla-clock.service';

/** The instant `businessMinutes` of a plan's business time after a given instant. */
export interface PlanHorizon {
  planId: string;
  until: Date;
}

/**
 * How far "within N business hours" reaches for each support plan, counted in that plan's business
 * hours (time zone, weekly hours, holidays) with the same calendar as the SLA clock. A ticket's due
 * time lies within N business minutes of now exactly when it is no later than its plan's horizon
 * (business time only grows with real time), so a list of "breaching soon" tickets is an index
 * range on the stored due times checked against one instant per plan, not a calendar per ticket.
 */
@Injectable()
export class SlaHorizonService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: SlaClockService,
  ) {}

  async horizons(from: Date, businessMinutes: number): Promise<PlanHorizon[]> {
    const plans: Array<Pick<SupportPlan, 'id' | 'timezone' | 'businessHours' | 'holidays' | 'updatedAt'>> = await this.dataSource.query(
      `SELECT id, timezone, business_hours AS "businessHours", holidays, updated_at AS "updatedAt" FROM support_plans`,
    );
    return plans.map((plan) => ({ planId: plan.id, until: this.clock.calendar(plan).addBusinessMinutes(from, businessMinutes) }));
  }
}
