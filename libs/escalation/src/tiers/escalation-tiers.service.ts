import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError } from '@helpdesk/http';
import { ALL_TIERS, EscalationTier } from '../routing/tiers';

export type DeliveryMode = 'webhook' | 'manual';

export interface TierConfigInput {
  delivery: DeliveryMode;
  webhookUrl?: string;
  secret?: string;
  timeoutMs?: number;
  maxPerMinute?: number;
}

/** A tier's delivery settings with its secret: for the delivery and the callbacks only. */
export interface TierConfig {
  tier: EscalationTier;
  delivery: DeliveryMode;
  webhookUrl: string | null;
  secret: string | null;
  timeoutMs: number;
  maxPerMinute: number | null;
}

/** What the API shows: the secret is write-only. */
export interface TierConfigView {
  tier: EscalationTier;
  configured: boolean;
  delivery: DeliveryMode | null;
  webhookUrl: string | null;
  hasSecret: boolean;
  timeoutMs: number | null;
  maxPerMinute: number | null;
  updatedAt: string | null;
}

interface TierRow {
  tier: EscalationTier;
  delivery: DeliveryMode;
  webhook_url: string | null;
  secret: string | null;
  timeout_ms: number;
  max_per_minute: number | null;
  updated_at: Date;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** How each vendor tier receives cases: a signed webhook, or an agent filing it by hand. */
@Injectable()
export class EscalationTiersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async config(tier: EscalationTier, manager: EntityManager = this.dataSource.manager): Promise<TierConfig | null> {
    const [row]: TierRow[] = await manager.query(`SELECT * FROM escalation_tiers WHERE tier = $1`, [tier]);
    return row
      ? { tier: row.tier, delivery: row.delivery, webhookUrl: row.webhook_url, secret: row.secret, timeoutMs: row.timeout_ms, maxPerMinute: row.max_per_minute }
      : null;
  }

  async list(): Promise<TierConfigView[]> {
    const rows: TierRow[] = await this.dataSource.query(`SELECT * FROM escalation_tiers`);
    return ALL_TIERS.map((tier) => view(tier, rows.find((r) => r.tier === tier)));
  }

  /** Replaces a tier's settings; a webhook tier keeps its secret when none is sent. */
  async put(tier: EscalationTier, input: TierConfigInput): Promise<TierConfigView> {
    return this.dataSource.transaction(async (manager) => {
      const [existing]: TierRow[] = await manager.query(`SELECT * FROM escalation_tiers WHERE tier = $1 FOR UPDATE`, [tier]);
      let webhookUrl: string | null = null;
      let secret: string | null = null;
      if (input.delivery === 'webhook') {
        if (!input.webhookUrl) throw DomainError.invalid('webhookUrl', 'is required for webhook delivery');
        webhookUrl = input.webhookUrl;
        secret = input.secret ?? existing?.secret ?? null;
        if (!secret) throw DomainError.invalid('secret', 'is required for webhook delivery (it signs every request)');
      } else if (input.webhookUrl !== undefined || input.secret !== undefined) {
        throw DomainError.invalid('delivery', 'manual delivery takes no webhookUrl or secret');
      }
      await manager.query(
        `INSERT INTO escalation_tiers (tier, delivery, webhook_url, secret, timeout_ms, max_per_minute, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (tier) DO UPDATE SET delivery = EXCLUDED.delivery, webhook_url = EXCLUDED.webhook_url, secret = EXCLUDED.secret,
           timeout_ms = EXCLUDED.timeout_ms, max_per_minute = EXCLUDED.max_per_minute, updated_at = now()`,
        [tier, input.delivery, webhookUrl, secret, input.timeoutMs ?? DEFAULT_TIMEOUT_MS, input.maxPerMinute ?? null],
      );
      const [row]: TierRow[] = await manager.query(`SELECT * FROM escalation_tiers WHERE tier = $1`, [tier]);
      const after = view(tier, row);
      // The views say whether a secret is set, never the secret.
      await this.audit.record(manager, { entity: 'escalation_tier', entityId: tier, action: existing ? 'updated' : 'created', before: existing ? view(tier, existing) : null, after });
      return after;
    });
  }
}

function view(tier: EscalationTier, row: TierRow | undefined): TierConfigView {
  if (!row) {
    return { tier, configured: false, delivery: null, webhookUrl: null, hasSecret: false, timeoutMs: null, maxPerMinute: null, updatedAt: null };
  }
  return {
    tier,
    configured: true,
    delivery: row.delivery,
    webhookUrl: row.webhook_url,
    hasSecret: row.secret !== null,
    timeoutMs: row.timeout_ms,
    maxPerMinute: row.max_per_minute,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
