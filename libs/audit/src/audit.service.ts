import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { decodeKeysetCursor, encodeKeysetCursor, SqlParams } from '@helpdesk/database';
import { DomainError } from '@helpdesk/http';
import { AuditActor, currentRequestContext } from './request-context';
import { redactSecrets } from './redact';

/**
 * What a configuration change is about. Contexts added later (macros, shared views) add theirs;
 * the value is what `GET /audit?entity=` filters on, so a value is never renamed.
 */
export type AuditEntity =
  | 'agent'
  | 'api_token'
  | 'customer'
  | 'customer_contact'
  | 'support_plan'
  | 'triage_rule'
  | 'known_issue'
  | 'escalation_tier'
  | 'entitlements'
  | 'escalation_policy'
  | 'collections_policy'
  | 'provisioning_settings'
  | 'billing_suspension'
  | 'dunning_pause'
  | 'notification_template'
  | (string & {});

export interface AuditChange {
  entity: AuditEntity;
  /** The changed record's id (`'1'` for the single-row settings: entitlements, escalation policy). */
  entityId: string;
  /** created, updated, deleted, deactivated, reactivated, issued, rotated, revoked, … */
  action: string;
  /** The record as it was (null when created); no secret in it. */
  before: unknown;
  /** The record as it is now (null when deleted); no secret in it. */
  after: unknown;
  /** Who changed it: the caller of the request being handled, unless given (the system otherwise). */
  actor?: AuditActor;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  requestId: string | null;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  /** The acting agent's (or customer's) id. */
  actor?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

interface AuditRow {
  id: string;
  at: Date;
  actor_kind: AuditActor['kind'];
  actor_id: string | null;
  request_id: string | null;
  entity: string;
  entity_id: string;
  action: string;
  before: unknown;
  after: unknown;
}

const SYSTEM: AuditActor = { kind: 'system', id: null };

/**
 * The audit log of configuration changes (`audit_log`, append-only: a trigger refuses UPDATE,
 * DELETE and TRUNCATE). Every context records its changes here, inside the transaction of the
 * change, so an entry exists exactly when its change committed.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, change: AuditChange): Promise<void> {
    const context = currentRequestContext();
    const actor = change.actor ?? context?.actor ?? SYSTEM;
    await manager.query(
      `INSERT INTO audit_log (actor_kind, actor_id, request_id, entity, entity_id, action, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        actor.kind,
        actor.id,
        context?.requestId ?? null,
        change.entity,
        change.entityId,
        change.action,
        change.before === null || change.before === undefined ? null : JSON.stringify(redactSecrets(change.before)),
        change.after === null || change.after === undefined ? null : JSON.stringify(redactSecrets(change.after)),
      ],
    );
  }

  /** Newest first, keyset pagination on the entry's sequence number. */
  async list(filter: AuditFilter): Promise<AuditPage> {
    if (filter.from && filter.to && filter.from >= filter.to) throw DomainError.rangeOrder();
    const where: string[] = [];
    const p = new SqlParams();
    if (filter.entity) where.push(`entity = ${p.add(filter.entity)}`);
    if (filter.entityId) where.push(`entity_id = ${p.add(filter.entityId)}`);
    if (filter.actor) where.push(`actor_id = ${p.add(filter.actor, 'uuid')}`);
    if (filter.from) where.push(`at >= ${p.add(filter.from)}`);
    if (filter.to) where.push(`at < ${p.add(filter.to)}`);
    if (filter.cursor) where.push(`id < ${p.add(decodeKeysetCursor(filter.cursor))}`);
    const limit = filter.limit ?? 50;
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT a.id::text AS id, a.at, a.actor_kind, a.actor_id, a.request_id, a.entity, a.entity_id, a.action, a.before, a.after FROM audit_log a
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actor: { kind: r.actor_kind, id: r.actor_id },
        requestId: r.request_id,
        entity: r.entity,
        entityId: r.entity_id,
        action: r.action,
        before: r.before,
        after: r.after,
      })),
      nextCursor: rows.length > limit ? encodeKeysetCursor(page[page.length - 1].id) : null,
    };
  }
}
