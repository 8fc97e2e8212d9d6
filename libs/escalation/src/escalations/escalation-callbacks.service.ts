import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, isUuid } from '@helpdesk/http';
import { verifySignature } from '../delivery/signature';
import { ALL_TIERS, EscalationTier } from '../routing/tiers';
import { EscalationTiersService } from '../tiers/escalation-tiers.service';
import { EscalationUpdatesService, VendorUpdate } from './escalation-updates.service';

export interface CallbackResult {
  deliveryId: string;
  outcome: 'applied' | 'ignored';
  escalationId: string | null;
  status: string | null;
}

const VENDOR_STATUSES = ['acknowledged', 'resolved', 'rejected'] as const;

/**
 * Signed vendor progress reports: the HMAC over the exact raw body is checked before anything else
 * is read; a delivery id is applied once (a replay is acknowledged and ignored).
 */
@Injectable()
export class EscalationCallbacksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tiers: EscalationTiersService,
    private readonly updates: EscalationUpdatesService,
  ) {}

  async receive(tierName: string, rawBody: Buffer | undefined, signature: string | undefined, deliveryId: string | undefined): Promise<CallbackResult> {
    if (!ALL_TIERS.includes(tierName as EscalationTier)) throw DomainError.notFound('Escalation tier', tierName);
    const tier = tierName as EscalationTier;
    const config = await this.tiers.config(tier);
    if (!config?.secret || rawBody === undefined || !verifySignature(rawBody, config.secret, signature)) {
      throw new UnauthorizedException('The X-Helpdesk-Signature header does not sign this body with the tier secret');
    }
    if (deliveryId === undefined || !/^[\x21-\x7e]{1,200}$/.test(deliveryId)) {
      throw DomainError.invalid('X-Helpdesk-Delivery', 'is required: 1–200 visible ASCII characters, unique per callback');
    }
    const { escalationId, update } = parseCallback(rawBody);

    return this.dataSource.transaction(async (manager) => {
      const inserted: Array<{ delivery_id: string }> = await manager.query(
        `INSERT INTO escalation_callback_deliveries (delivery_id, tier, escalation_id) VALUES ($1, $2, $3)
         ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id`,
        [deliveryId, tier, escalationId],
      );
      if (inserted.length === 0) return { deliveryId, outcome: 'ignored' as const, escalationId, status: null };
      const row = await this.updates.lockForChange(manager, escalationId);
      if (row.tier !== tier) throw DomainError.notFound('Escalation', escalationId);
      const after = await this.updates.applyVendorUpdate(manager, row, update, SYSTEM_ACTOR);
      return { deliveryId, outcome: 'applied' as const, escalationId, status: after.status };
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
