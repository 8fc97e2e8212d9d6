import { Injectable } from '@nestjs/common';

/**
 * What time it is for billing: the dunning calendar, "overdue", pauses and deadlines all read it
 * here, so that a test can put the whole context on a given date (`set`) instead of waiting for
 * one. Real time unless set.
 */
@Injectable()
export class BillingClock {
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /** Fixes the time (null: back to real time). */
  set(at: Date | null): void {
    this.fixed = at ? new Date(at) : null;
  }
}
