import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { decodeKeysetCursor, encodeKeysetCursor, OutboxService } from '@helpdesk/database';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { QueueName } from '@helpdesk/queue';
import { lockAccount } from '../accounts/account-lock';
import { enqueueMany } from '../outbox-rows';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { AttemptRow, ProvisioningActionRow, ProvisioningActionView, provisioningActionView } from './provisioning-action.view';
import { DeliveryMode, ProvisioningKind, ProvisioningStatus } from './provisioning-actions';

export interface ProvisioningFilter {
  status?: ProvisioningStatus;
  mode?: DeliveryMode;
  kind?: ProvisioningKind;
  customerId?: string;
  cursor?: string;
  limit?: number;
}

/**
 * What provisioning was told and how it went: the webhook deliveries with their attempts, and the
 * manual task list (billing_admin confirms each one once it is done in the vendor's portal).
 */
@Injectable()
export class ProvisioningActionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: BillingTimeline,
    private readonly outbox: OutboxService,
  ) {}

  /** Newest first. */
  async list(filter: ProvisioningFilter): Promise<{ items: ProvisioningActionView[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.mode) add('mode = ?', filter.mode);
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.customerId) add('customer_id = ?', filter.customerId);
    if (filter.cursor) add('number < ?', decodeKeysetCursor(filter.cursor));
    const limit = filter.limit ?? 50;
    params.push(limit + 1);
    const rows: ProvisioningActionRow[] = await this.dataSource.query(
      `SELECT * FROM provisioning_actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY number DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    return { items: page.map((r) => provisioningActionView(r)), nextCursor: rows.length > limit ? encodeKeysetCursor(page[page.length - 1].number) : null };
  }

  async get(id: string): Promise<ProvisioningActionView> {
    const [row]: ProvisioningActionRow[] = await this.dataSource.query(`SELECT * FROM provisioning_actions WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('Provisioning action', id);
    const attempts: AttemptRow[] = await this.dataSource.query(`SELECT at, http_status, error, duration_ms FROM provisioning_attempts WHERE action_id = $1 ORDER BY id`, [id]);
    return provisioningActionView(row, attempts);
  }

  /** A manual task done in the vendor's portal. Refused (409) once it no longer applies: the customer paid first. */
  async confirm(principal: Principal, id: string, note?: string): Promise<ProvisioningActionView> {
    const actor = actorOf(principal);
    await this.changeLocked(id, async (manager, row) => {
      if (row.mode !== 'manual') throw new DomainError(DomainErrorCode.Conflict, `Provisioning action ${id} is delivered by webhook, not confirmed by hand`);
      if (row.status === 'cancelled') {
        throw new DomainError(
          DomainErrorCode.Conflict,
          `Provisioning action ${id} was cancelled: the customer paid before it was applied. Do not ${row.kind} the subscriptions; if it was already done in the portal, undo it there.`,
        );
      }
      if (row.status !== 'pending') throw new DomainError(DomainErrorCode.Conflict, `Provisioning action ${id} is already ${row.status}`);
      await manager.query(
        `UPDATE provisioning_actions SET status = 'confirmed', confirmed_by = $2, note = $3, completed_at = now(), updated_at = now() WHERE id = $1`,
        [id, actor.id, note ?? null],
      );
      await this.timeline.record(manager, row.customer_id, row.kind === 'suspend' ? 'suspension_confirmed' : 'restore_confirmed', actor, {
        actionId: id,
        suspensionId: row.suspension_id,
        note: note ?? null,
      });
    });
    return this.get(id);
  }

  /** A failed webhook delivery starts again from its first attempt (same webhook-id). */
  async retry(principal: Principal, id: string): Promise<ProvisioningActionView> {
    const actor = actorOf(principal);
    await this.changeLocked(id, async (manager, row) => {
      if (row.status !== 'failed') throw new DomainError(DomainErrorCode.Conflict, `Only a failed delivery can be retried; this one is ${row.status}`);
      if (row.kind === 'suspend') {
        const [suspension]: Array<{ status: string }> = await manager.query(`SELECT status FROM billing_suspensions WHERE id = $1`, [row.suspension_id]);
        if (suspension.status !== 'active') throw new DomainError(DomainErrorCode.Conflict, `Suspension ${row.suspension_id} is ${suspension.status}; it is not delivered again`);
      }
      const [[after]]: [Array<{ delivery_round: number }>, number] = await manager.query(
        `UPDATE provisioning_actions SET status = 'pending', delivery_round = delivery_round + 1, last_error = NULL, completed_at = NULL, updated_at = now()
          WHERE id = $1 RETURNING delivery_round`,
        [id],
      );
      await enqueueMany(manager, QueueName.BillingProvisioning, [{ jobId: `${id}-retry-${after.delivery_round}`, payload: { actionId: id } }]);
      await this.timeline.record(manager, row.customer_id, 'provisioning_retried', actor, { actionId: id, suspensionId: row.suspension_id, kind: row.kind });
    });
    this.outbox.wakeRelays();
    return this.get(id);
  }

  private async changeLocked(id: string, change: (manager: EntityManager, row: ProvisioningActionRow) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [owner]: Array<{ customer_id: string }> = await manager.query(`SELECT customer_id FROM provisioning_actions WHERE id = $1`, [id]);
      if (!owner) throw DomainError.notFound('Provisioning action', id);
      await lockAccount(manager, owner.customer_id);
      const [row]: ProvisioningActionRow[] = await manager.query(`SELECT * FROM provisioning_actions WHERE id = $1 FOR UPDATE`, [id]);
      await change(manager, row);
    });
  }
}
