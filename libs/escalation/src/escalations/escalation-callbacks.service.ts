import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, isUuid } from '@helpdesk/http';
import { verifyWebhook, WebhookRejected } from '@helpdesk/webhooks';
import { ALL_TIERS, EscalationTier } from '../routing/tiers';
import { EscalationTiersService } from '../tiers/escalation-tiers.service';
import { EscalationUpdatesService, VendorUpdate } from './escalation-updates.service';

export interface CallbackResult {
  /** The callback's `webhook-id`: applied once, refused ever after. */
  webhookId: string;
  escalationId: string;
  status: string;
}

const VENDOR_STATUSES = ['acknowledged', 'resolved', 'rejected'] as const;

/**
 * Vendor progress reports signed per Standard Webhooks with the tier's callback secret (never the
 * one that signs our deliveries). Before anything of the body is read: the signature over id,
 * timestamp and the exact bytes, a timestamp within five minutes, and an id never applied before
 * for this tier. A replay — as captured, or with a new id or time (which breaks the signature) —
 * is a 401 and changes nothing. The id is recorded with the change it applied, in one
 * transaction, so a report that could not be applied (a 4xx) can be sent again under its id.
 */
@Injectable()
export class EscalationCallbacksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tiers: EscalationTiersService,
    private readonly updates: EscalationUpdatesService,
  ) {}

  async receive(tierName: string, rawBody: Buffer | undefined, headers: Record<string, string | string[] | undefined>): Promise<CallbackResult> {
    if (!ALL_TIERS.includes(tierName as EscalationTier)) throw DomainError.notFound('Escalation tier', tierName);
    const tier = tierName as EscalationTier;
    const secrets = await this.tiers.callbackSecrets(tier);
    if (secrets.length === 0) throw new UnauthorizedException(`The ${tier} tier takes no callbacks: it has no callbackSecret (PUT /escalation-tiers/${tier})`);
    const body = rawBody ?? Buffer.alloc(0);
    let webhook: { id: string; timestamp: Date };
    try {
      webhook = verifyWebhook(body, headers, secrets);
    } catch (error) {
      if (error instanceof WebhookRejected) throw new UnauthorizedException(error.message);
      throw error;
    }
    const { escalationId, update } = parseCallback(body);

    return this.dataSource.transaction(async (manager) => {
      const seen: Array<{ webhook_id: string }> = await manager.query(
        `INSERT INTO escalation_callback_deliveries (tier, webhook_id, webhook_timestamp, escalation_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tier, webhook_id) DO NOTHING RETURNING webhook_id`,
        [tier, webhook.id, webhook.timestamp, escalationId],
      );
      if (seen.length === 0) throw new UnauthorizedException(`webhook-id ${JSON.stringify(webhook.id)} was already received: a callback is applied once`);
      const row = await this.updates.lockForChange(manager, escalationId);
      if (row.tier !== tier) throw DomainError.notFound('Escalation', escalationId);
      const after = await this.updates.applyVendorUpdate(manager, row, update, SYSTEM_ACTOR);
      return { webhookId: webhook.id, escalationId, status: after.status };
    });
  }
}

function parseCallback(raw: Buffer): { escalationId: string; update: VendorUpdate } {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new DomainError(DomainErrorCode.Invalid, 'The callback body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw DomainError.invalid('body', 'must be a JSON object');
  const { escalationId, status, note, hoursUsed, vendorCaseId } = body;
  if (typeof escalationId !== 'string' || !isUuid(escalationId)) throw DomainError.invalid('escalationId', 'must be a UUID');
  if (status !== undefined && !VENDOR_STATUSES.includes(status as never)) {
    throw DomainError.invalid('status', `must be one of: ${VENDOR_STATUSES.join(', ')}`);
  }
  if (note !== undefined && (typeof note !== 'string' || note.length > 5000)) throw DomainError.invalid('note', 'must be a string of at most 5,000 characters');
  for (const [field, value] of [['note', note], ['vendorCaseId', vendorCaseId]] as const) {
    // PostgreSQL text cannot hold NUL.
    if (typeof value === 'string' && value.includes('\u0000')) throw DomainError.invalid(field, 'must not contain NUL characters');
  }
  if (hoursUsed !== undefined && (typeof hoursUsed !== 'number' || !Number.isFinite(hoursUsed) || hoursUsed < 0 || hoursUsed > 10000)) {
    throw DomainError.invalid('hoursUsed', 'must be a number of hours from 0 to 10,000');
  }
  if (vendorCaseId !== undefined && (typeof vendorCaseId !== 'string' || vendorCaseId.length < 1 || vendorCaseId.length > 200)) {
    throw DomainError.invalid('vendorCaseId', 'must be a string of 1–200 characters');
  }
  return {
    escalationId: escalationId.toLowerCase(),
    update: { status: status as VendorUpdate['status'], note: note as string | undefined, hoursUsed: hoursUsed as number | undefined, vendorCaseId: vendorCaseId as string | undefined },
  };
}
