import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxService, outboxRowPerRowSql } from '@helpdesk/database';
import { JOB_NAME, QueueName } from '@helpdesk/queue';

export interface ReceivedMail {
  source: 'smtp' | 'webhook';
  raw: Buffer;
  /** The Standard Webhooks id of a webhook delivery: accepted once. */
  webhookId?: string;
  envelopeFrom?: string;
  envelopeTo?: readonly string[];
}

/**
 * The message and its hand-off to the `inbound-email` queue in one statement, so one round trip
 * and one commit. A webhook id seen before inserts nothing and hands nothing off.
 */
const STORE = `WITH m AS (
    INSERT INTO inbound_messages (source, webhook_id, envelope_from, envelope_to, raw, size)
    VALUES ($3, $4, $5, $6, $7, $8) ON CONFLICT (webhook_id) DO NOTHING RETURNING id
  ), o AS (
    ${outboxRowPerRowSql('m', { queue: '$1', jobName: '$2', jobId: 'm.id::text', payload: `jsonb_build_object('inboundMessageId', m.id)` })}
  )
  SELECT id FROM m`;

/**
 * The durable front door of e-mail in when a message is not made what it is at once: the raw
 * message and its hand-off to the `inbound-email` queue, committed before the sender hears `250`
 * (or `202`). Nothing is parsed here, so a message no parser understands is still kept for inspection.
 */
@Injectable()
export class InboundMailStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  /** The stored message's id; null when `webhookId` was accepted before (nothing is stored). */
  async store(mail: ReceivedMail): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(STORE, [
      QueueName.InboundEmail,
      JOB_NAME[QueueName.InboundEmail],
      mail.source,
      mail.webhookId ?? null,
      mail.envelopeFrom ?? null,
      mail.envelopeTo ?? [],
      mail.raw,
      mail.raw.length,
    ]);
    if (rows.length === 0) return null;
    this.outbox.wakeRelays();
    return rows[0].id;
  }
}
