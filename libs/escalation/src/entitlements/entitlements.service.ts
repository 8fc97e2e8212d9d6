import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError, FieldErrorCode } from '@helpdesk/http';
import { assertCalendarDate } from '../routing/calendar-date';
import { Entitlements, TierAvailability, tierAvailability } from '../routing/entitlements';

/** A paid contract as stored: what routing needs plus the purchased hours (for the 10 % warning). */
export interface StoredContract {
  active: boolean;
  hoursRemaining: number;
  hoursPurchased: number;
  expiresOn: string | null;
}

export interface StoredEntitlements {
  competency: Entitlements['competency'];
  premier: StoredContract;
  advanced: StoredContract;
}

export interface ContractInput {
  active: boolean;
  hoursRemaining: number;
  hoursPurchased?: number;
  expiresOn?: string | null;
}

export interface EntitlementsInput {
  competency: Entitlements['competency'];
  premier: ContractInput;
  advanced: ContractInput;
}

export interface EntitlementsView extends StoredEntitlements {
  updatedAt: string;
  today: string;
  tiers: TierAvailability[];
}

interface EntitlementsRow {
  competency: Entitlements['competency'];
  premier: StoredContract;
  advanced: StoredContract;
  updated_at: Date;
}

/** Today's date (UTC) as YYYY-MM-DD: contracts run to the end of their last day. */
export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);

/** What the partner holds today (one row), and which tiers that makes available. */
@Injectable()
export class EntitlementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async load(manager: EntityManager = this.dataSource.manager, lock = false): Promise<StoredEntitlements> {
    const [row]: EntitlementsRow[] = await manager.query(
      `SELECT competency, premier, advanced, updated_at FROM entitlements WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
    );
    return { competency: row.competency, premier: row.premier, advanced: row.advanced };
  }

  async get(now = new Date()): Promise<EntitlementsView> {
    const [row]: EntitlementsRow[] = await this.dataSource.query(
      `SELECT competency, premier, advanced, updated_at FROM entitlements WHERE id = 1`,
    );
    const today = todayUtc(now);
    const stored = { competency: row.competency, premier: row.premier, advanced: row.advanced };
    return { ...stored, updatedAt: new Date(row.updated_at).toISOString(), today, tiers: tierAvailability(stored, today) };
  }

  async put(input: EntitlementsInput): Promise<EntitlementsView> {
    await this.dataSource.transaction(async (manager) => {
      // Locked: a deduction committing meanwhile cannot slip between this read and the write.
      const stored = await this.load(manager, true);
      const premier = this.contract('premier', input.premier, stored.premier);
      const advanced = this.contract('advanced', input.advanced, stored.advanced);
      await manager.query(
        `UPDATE entitlements SET competency = $1, premier = $2, advanced = $3, updated_at = now() WHERE id = 1`,
        [input.competency, JSON.stringify(premier), JSON.stringify(advanced)],
      );
      await this.audit.record(manager, { entity: 'entitlements', entityId: '1', action: 'updated', before: stored, after: { competency: input.competency, premier, advanced } });
    });
    return this.get();
  }

  /** Replaces a contract's hours after a deduction (inside the caller's transaction). */
  async setHoursRemaining(manager: EntityManager, which: 'premier' | 'advanced', hoursRemaining: number): Promise<void> {
    await manager.query(
      `UPDATE entitlements SET ${which} = jsonb_set(${which}, '{hoursRemaining}', to_jsonb($1::numeric)), updated_at = now() WHERE id = 1`,
      [hoursRemaining],
    );
  }

  /**
   * The contract to store. Without `hoursPurchased`, the same contract sent again (same expiry, no
   * more hours than it was bought with) keeps its purchased hours, so the 10 % warning keeps its
   * base when only the competency or the other contract changes; a new contract (another expiry)
   * or a top-up above them counts its remaining hours as purchased.
   */
  private contract(field: string, c: ContractInput, stored: StoredContract): StoredContract {
    const expiresOn = c.expiresOn ?? null;
    if (expiresOn !== null) {
      try {
        assertCalendarDate(expiresOn, `${field}.expiresOn`);
      } catch {
        throw DomainError.invalid(`${field}.expiresOn`, 'must be a calendar date written YYYY-MM-DD');
      }
    }
    const sameContract = expiresOn === stored.expiresOn && c.hoursRemaining <= stored.hoursPurchased;
    const hoursPurchased = c.hoursPurchased ?? (sameContract ? stored.hoursPurchased : c.hoursRemaining);
    if (hoursPurchased < c.hoursRemaining) {
      throw DomainError.invalid(`${field}.hoursPurchased`, 'must be at least hoursRemaining', FieldErrorCode.BelowRemaining);
    }
    return { active: c.active, hoursRemaining: c.hoursRemaining, hoursPurchased, expiresOn };
  }
}
