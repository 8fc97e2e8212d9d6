import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError, FieldErrorCode } from '@helpdesk/http';
import { activeSecrets, NO_SECRET, RotatingSecret, rotateSecret, sameWebhookKey, WebhookTargets } from '@helpdesk/webhooks';
import { ALL_TIERS, EscalationTier } from '../routing/tiers';

export type DeliveryMode = 'webhook' | 'manual';

export interface TierConfigInput {
  delivery: DeliveryMode;
  webhookUrl?: string;
  /** `whsec_…`: signs what we send. */
  secret?: string;
  /** `whsec_…`: verifies what the vendor sends back. */
  callbackSecret?: string;
  /** How long a secret replaced by this change stays valid (default a day; 0: at once). */
  rotationOverlapSeconds?: number;
  timeoutMs?: number;
  maxPerMinute?: number;
}

/** A tier's delivery settings with the secrets that sign it: for the delivery only. */
export interface TierConfig {
  tier: EscalationTier;
  delivery: DeliveryMode;
  webhookUrl: string | null;
  /** What signs a delivery now: the current secret, and the previous one while a rotation overlaps. */
  signingSecrets: string[];
  timeoutMs: number;
  maxPerMinute: number | null;
}

/** What the API shows: secrets are write-only; only whether they are set, and until when a replaced one is valid. */
export interface TierConfigView {
  tier: EscalationTier;
  configured: boolean;
  delivery: DeliveryMode | null;
  webhookUrl: string | null;
  hasSecret: boolean;
  previousSecretValidUntil: string | null;
  hasCallbackSecret: boolean;
  previousCallbackSecretValidUntil: string | null;
  timeoutMs: number | null;
  maxPerMinute: number | null;
  updatedAt: string | null;
}

interface TierRow {
  tier: EscalationTier;
  delivery: DeliveryMode;
  webhook_url: string | null;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  callback_secret: string | null;
  previous_callback_secret: string | null;
  previous_callback_secret_until: Date | null;
  timeout_ms: number;
  max_per_minute: number | null;
  updated_at: Date;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

const signing = (row: TierRow | undefined): RotatingSecret =>
  row ? { current: row.secret, previous: row.previous_secret, previousUntil: row.previous_secret_until } : NO_SECRET;
const callback = (row: TierRow | undefined): RotatingSecret =>
  row ? { current: row.callback_secret, previous: row.previous_callback_secret, previousUntil: row.previous_callback_secret_until } : NO_SECRET;

/**
 * How each vendor tier receives cases (a signed webhook, or an agent filing it by hand) and how
 * its callbacks are verified. Each direction has its own secret, rotated with an overlap.
 */
@Injectable()
export class EscalationTiersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly targets: WebhookTargets,
  ) {}

  async config(tier: EscalationTier, manager: EntityManager = this.dataSource.manager): Promise<TierConfig | null> {
    const [row]: TierRow[] = await manager.query(`SELECT * FROM escalation_tiers WHERE tier = $1`, [tier]);
    return row
      ? { tier: row.tier, delivery: row.delivery, webhookUrl: row.webhook_url, signingSecrets: activeSecrets(signing(row)), timeoutMs: row.timeout_ms, maxPerMinute: row.max_per_minute }
      : null;
  }

  /** The secrets a callback of this tier may be signed with now (none: callbacks are refused). */
  async callbackSecrets(tier: EscalationTier): Promise<string[]> {
    const [row]: TierRow[] = await this.dataSource.query(`SELECT * FROM escalation_tiers WHERE tier = $1`, [tier]);
    return activeSecrets(callback(row));
  }

  async list(): Promise<TierConfigView[]> {
    const rows: TierRow[] = await this.dataSource.query(`SELECT * FROM escalation_tiers`);
    return ALL_TIERS.map((tier) => view(tier, rows.find((r) => r.tier === tier)));
  }

  /**
   * Replaces a tier's settings. A secret not sent is kept; a new one replaces the current one,
   * which stays valid for the overlap. The webhook URL must be an allowed target (checked again at
   * every delivery), and no key may serve both directions: what signs our deliveries must never
   * verify a callback.
   */
  async put(tier: EscalationTier, input: TierConfigInput): Promise<TierConfigView> {
    if (input.delivery === 'webhook' && input.webhookUrl) await this.targets.assertTarget(input.webhookUrl);
    const overlapMs = input.rotationOverlapSeconds === undefined ? undefined : input.rotationOverlapSeconds * 1000;
    return this.dataSource.transaction(async (manager) => {
      const [existing]: TierRow[] = await manager.query(`SELECT * FROM escalation_tiers WHERE tier = $1 FOR UPDATE`, [tier]);
      const now = new Date();
      let webhookUrl: string | null = null;
      let signs: RotatingSecret = NO_SECRET;
      if (input.delivery === 'webhook') {
        if (!input.webhookUrl) throw DomainError.invalid('webhookUrl', 'is required for webhook delivery', FieldErrorCode.WebhookRequired);
        webhookUrl = input.webhookUrl;
        signs = rotateSecret(signing(existing), input.secret, overlapMs, now);
        if (!signs.current) throw DomainError.invalid('secret', 'is required for webhook delivery (it signs every request)', FieldErrorCode.WebhookRequired);
      } else if (input.webhookUrl !== undefined || input.secret !== undefined) {
        throw DomainError.invalid('delivery', 'manual delivery takes no webhookUrl or secret', FieldErrorCode.ManualNoWebhook);
      }
      const verifies = rotateSecret(callback(existing), input.callbackSecret, overlapMs, now);
      const shared = activeSecrets(signs, now).some((s) => activeSecrets(verifies, now).some((v) => sameWebhookKey(s, v)));
      if (shared) {
        throw input.callbackSecret !== undefined
          ? DomainError.invalid('callbackSecret', "must differ from the tier's secret (the key that signs our deliveries must never verify a callback)", FieldErrorCode.SameSecret)
          : DomainError.invalid('secret', "must differ from the tier's callbackSecret (the key that signs our deliveries must never verify a callback)", FieldErrorCode.SameSecret);
      }
      await manager.query(
        `INSERT INTO escalation_tiers (tier, delivery, webhook_url, secret, previous_secret, previous_secret_until,
                                       callback_secret, previous_callback_secret, previous_callback_secret_until, timeout_ms, max_per_minute, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
         ON CONFLICT (tier) DO UPDATE SET delivery = EXCLUDED.delivery, webhook_url = EXCLUDED.webhook_url,
           secret = EXCLUDED.secret, previous_secret = EXCLUDED.previous_secret, previous_secret_until = EXCLUDED.previous_secret_until,
           callback_secret = EXCLUDED.callback_secret, previous_callback_secret = EXCLUDED.previous_callback_secret,
           previous_callback_secret_until = EXCLUDED.previous_callback_secret_until,
           timeout_ms = EXCLUDED.timeout_ms, max_per_minute = EXCLUDED.max_per_minute, updated_at = now()`,
        [
          tier,
          input.delivery,
          webhookUrl,
          signs.current,
          signs.previous,
          signs.previousUntil,
          verifies.current,
          verifies.previous,
          verifies.previousUntil,
          input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          input.maxPerMinute ?? null,
        ],
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
    return {
      tier,
      configured: false,
      delivery: null,
      webhookUrl: null,
      hasSecret: false,
      previousSecretValidUntil: null,
      hasCallbackSecret: false,
      previousCallbackSecretValidUntil: null,
      timeoutMs: null,
      maxPerMinute: null,
      updatedAt: null,
    };
  }
  return {
    tier,
    configured: true,
    delivery: row.delivery,
    webhookUrl: row.webhook_url,
    hasSecret: row.secret !== null,
    previousSecretValidUntil: validUntil(row.previous_secret_until),
    hasCallbackSecret: row.callback_secret !== null,
    previousCallbackSecretValidUntil: validUntil(row.previous_callback_secret_until),
    timeoutMs: row.timeout_ms,
    maxPerMinute: row.max_per_minute,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** When a replaced secret stops being valid; null when there is none or it already has. */
function validUntil(until: Date | null): string | null {
  return until !== null && new Date(until).getTime() > Date.now() ? new Date(until).toISOString() : null;
}
