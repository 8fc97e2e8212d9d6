import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { signWebhook, WebhookClient } from '@helpdesk/webhooks';
import { EscalationTier } from '../routing/tiers';
import { BegunAttempt, DeliveryStore, FinishDelivery, FinishedAttempt, PendingDelivery } from './delivery-store.service';
import { EscalationFailureHooks } from './escalation-failure-hooks';

export type DeliveryOutcome =
  | { kind: 'skipped'; status: string }
  | { kind: 'awaiting_vendor_case' }
  | { kind: 'submitted'; vendorCaseId: string | null }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string; ticketId: string };

export interface AttemptContext {
  /** 1-based number of this attempt within the current delivery round. */
  attempt: number;
  maxAttempts: number;
}

/**
 * Delivers one escalation to its tier: one read (escalation, tier settings and the body) that also
 * writes the attempt's row, the signed webhook over a kept-alive connection (or a manual case
 * parked), one write for the outcome — the reads and writes batched with the other deliveries in
 * flight (DeliveryStore), each write committed before the delivery goes on. Status moves are
 * conditional on `queued`, so `submitted` is never written twice.
 */
@Injectable()
export class EscalationDeliveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: DeliveryStore,
    private readonly webhooks: WebhookClient,
    private readonly failures: EscalationFailureHooks,
  ) {}

  /**
   * Reloads the escalation with its tier's current settings (the tier of the queue it came from),
   * beginning its attempt in the same round trip when nothing is checked before sending.
   */
  loadAndBegin(escalationId: string, tier: EscalationTier): Promise<PendingDelivery> {
    return this.store.loadAndBegin(escalationId, tier);
  }

  async deliver(pending: PendingDelivery, ctx: AttemptContext): Promise<DeliveryOutcome> {
    if (pending.status !== 'queued') return { kind: 'skipped', status: pending.status };
    const { settings } = pending;

    if (settings?.delivery === 'manual') {
      await this.store.write(finish(pending, null, { to: 'awaiting_vendor_case', vendorCaseId: null, eventType: 'escalation_awaiting_vendor_case', eventData: { escalationId: pending.escalationId, tier: pending.tier } }));
      return { kind: 'awaiting_vendor_case' };
    }

    // The attempt's row (`in_flight`) is committed before anything is sent: with the read, or now
    // (a rate-limited tier, whose limit was checked after the read).
    const { id: attemptId, deliveryId } = pending.attempt ?? (await this.begin(pending));
    const attempt: FinishedAttempt = { id: attemptId, httpStatus: null, error: null, durationMs: 0 };
    const started = Date.now();
    let vendorCaseId: string | null = null;

    if (!settings?.webhookUrl || settings.signingSecrets.length === 0 || pending.body === null) {
      attempt.error = `the ${pending.tier} tier has no webhook configured`;
    } else {
      const result = await this.webhooks.post({
        url: settings.webhookUrl,
        timeoutMs: settings.timeoutMs,
        headers: {
          'Content-Type': 'application/json',
          'X-Helpdesk-Event': 'escalation.created',
          'X-Helpdesk-Delivery': deliveryId,
          'Idempotency-Key': pending.escalationId,
          // Standard Webhooks: the escalation id is the message id (the same on every attempt).
          ...signWebhook(pending.escalationId, pending.body, settings.signingSecrets),
        },
        body: pending.body,
      });
      attempt.httpStatus = result.status;
      if (result.ok) vendorCaseId = caseIdOf(result.text);
      else attempt.error = result.error;
    }
    attempt.durationMs = Date.now() - started;

    if (attempt.error === null) {
      await this.store.write(
        finish(pending, attempt, {
          to: 'submitted',
          vendorCaseId,
          eventType: 'escalation_submitted',
          eventData: { escalationId: pending.escalationId, tier: pending.tier, vendorCaseId, deliveryId },
        }),
      );
      return { kind: 'submitted', vendorCaseId };
    }
    if (ctx.attempt < ctx.maxAttempts) {
      await this.store.write(finish(pending, attempt, null));
      return { kind: 'retry', error: attempt.error };
    }
    const error = attempt.error;
    // The failure and what downstream contexts make of it (the managers' mail) commit together.
    await this.dataSource.transaction(async (manager) => {
      const { moved } = await this.store.writeIn(
        manager,
        finish(pending, attempt, { to: 'failed', vendorCaseId: null, eventType: 'escalation_failed', eventData: { escalationId: pending.escalationId, tier: pending.tier, attempts: ctx.attempt, error } }),
      );
      if (moved) await this.failures.failed(manager, { escalationId: pending.escalationId, ticketId: pending.ticketId, tier: pending.tier, round: moved.round, attempts: ctx.attempt, error });
    });
    return { kind: 'failed', error, ticketId: pending.ticketId };
  }

  private async begin(pending: PendingDelivery): Promise<BegunAttempt> {
    const deliveryId = randomUUID();
    const { attemptId } = await this.store.write({ kind: 'begin', escalationId: pending.escalationId, deliveryId, at: new Date() });
    return { id: attemptId!, deliveryId };
  }
}

function finish(pending: PendingDelivery, attempt: FinishedAttempt | null, move: FinishDelivery['move']): FinishDelivery {
  return { kind: 'finish', escalationId: pending.escalationId, ticketId: pending.ticketId, attempt, move };
}

function caseIdOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { caseId?: unknown };
    if (typeof parsed?.caseId === 'string' && parsed.caseId.length > 0) return parsed.caseId.slice(0, 200);
    if (typeof parsed?.caseId === 'number') return String(parsed.caseId);
  } catch {
    // a 2xx without JSON is still accepted
  }
  return null;
}
