import { EntityManager } from 'typeorm';
import { outboxRowPerRowSql, prepared, queryPrepared } from '@helpdesk/database';
import { JOB_NAME, QueueName } from '@helpdesk/queue';
import type { MailLocale } from './notification-templates';

/** One notification to one recipient, composed: what `outbound_messages` keeps and the sender sends. */
export interface ComposedNotification {
  /** The event and the recipient: unique, so the same event never mails the same person twice. */
  eventKey: string;
  kind: string;
  /** Null for mail about no ticket (a dunning notice). */
  ticketId: string | null;
  recipient: string;
  locale: MailLocale;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  body: string;
  autoSubmitted: boolean;
}

/**
 * The notification's row and its outbox hand-off to the `customer-email` queue in one statement
 * ($12/$13 the queue and job name); no row, and no hand-off, when the event already mailed that recipient.
 * Prepared on each connection, also inside a transaction (a public reply's): it yields the new row's
 * id alone, so no migration adding a column can make a connection's plan of it stale.
 */
const STORE_NOTIFICATION = prepared(
  'outbound_message_store',
  `WITH m AS (
    INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, in_reply_to, "references", subject, body, auto_submitted)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_key) DO NOTHING RETURNING id
  ), o AS (
    ${outboxRowPerRowSql('m', { queue: '$12', jobName: '$13', jobId: 'm.id::text', payload: `jsonb_build_object('outboundMessageId', m.id)` })}
  )
  SELECT id FROM m`,
);

/**
 * Stores a composed notification with its outbox hand-off to the `customer-email` queue, inside the
 * caller's transaction (the change it tells of); false (nothing stored) when that event already mailed that recipient.
 */
export async function storeNotification(manager: EntityManager, n: ComposedNotification): Promise<boolean> {
  const rows = await queryPrepared<{ id: string }>(
    manager,
    STORE_NOTIFICATION,
    [n.eventKey, n.kind, n.ticketId, n.recipient, n.locale, n.messageId, n.inReplyTo, n.references, n.subject, n.body, n.autoSubmitted, QueueName.CustomerEmail, JOB_NAME[QueueName.CustomerEmail]],
    { nameInTransaction: true },
  );
  return rows.length > 0;
}

/**
 * Many composed notifications with their outbox hand-offs, in one statement inside the caller's
 * transaction (as storeNotification: an event already mailed to that recipient is skipped; so is
 * one whose Message-ID is taken — the same assignment composed again after the agent's address
 * changed — rather than failing the whole batch at every run). Returns how many were stored.
 */
export async function storeNotifications(manager: EntityManager, list: readonly ComposedNotification[]): Promise<number> {
  if (list.length === 0) return 0;
  const rows: Array<{ id: string }> = await manager.query(`WITH ${storeNotificationsWith(1)} SELECT id FROM m`, storeNotificationsParams(list));
  return rows.length;
}

/**
 * How the stored notifications are handed to the `customer-email` queue: a job each (job id: the
 * row's id), or `one-job` for all the rows one statement stored (`outboundMessageIds`; job id
 * `batch.<the smallest row id>`, so a relay adding it again after a crash adds nothing), which a
 * burst of acknowledgements sends at one job's Redis cost instead of one per mail.
 */
export type NotificationHandOff = 'job-each' | 'one-job';

/**
 * What storeNotifications writes, as the parts `m` (the rows stored, their ids) and `o` (their
 * hand-off: `handOff`) of a WITH, for a statement that writes more in the same round trip: its
 * parameters (storeNotificationsParams) from `$first`, three of them. No hand-off when no row was stored.
 */
export function storeNotificationsWith(first: number, handOff: NotificationHandOff = 'job-each'): string {
  const queue = `$${first + 1}`;
  const jobName = `$${first + 2}`;
  const outbox =
    handOff === 'one-job'
      ? outboxRowPerRowSql(
          'm',
          { queue, jobName, jobId: `'batch.' || min(m.id::text)`, payload: `jsonb_build_object('outboundMessageIds', jsonb_agg(m.id ORDER BY m.id))` },
          'HAVING count(*) > 0',
        )
      : outboxRowPerRowSql('m', { queue, jobName, jobId: 'm.id::text', payload: `jsonb_build_object('outboundMessageId', m.id)` });
  return `m AS (
       INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, in_reply_to, "references", subject, body, auto_submitted)
       SELECT x."eventKey", x.kind, x."ticketId", x.recipient, x.locale, x."messageId", x."inReplyTo", x."references", x.subject, x.body, x."autoSubmitted"
         FROM jsonb_to_recordset($${first}::jsonb) AS x("eventKey" text, kind text, "ticketId" uuid, recipient text, locale text, "messageId" text,
                                                 "inReplyTo" text, "references" text[], subject text, body text, "autoSubmitted" boolean)
       ON CONFLICT DO NOTHING RETURNING id
     ), o AS (
       ${outbox}
     )`;
}

export function storeNotificationsParams(list: readonly ComposedNotification[]): unknown[] {
  return [JSON.stringify(list), QueueName.CustomerEmail, JOB_NAME[QueueName.CustomerEmail]];
}
