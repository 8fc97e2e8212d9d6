import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxService } from '@helpdesk/database';
import { QueueName } from '@helpdesk/queue';

export interface ReceivedMail {
  source: 'smtp' | 'webhook';
  raw: Buffer;
  /** The Standard Webhooks id of a webhook delivery: accepted once. */
  webhookId?: string;
  envelopeFrom?: string;
  envelopeTo?: readonly string[];
}

/**
 * The durable front door of e-mail in: the raw message and its hand-off to the `inbound-email`
 * queue in one transaction, committed before the sender hears `250` (or `202`). Nothing is parsed
 * here, so a message no parser understands is still kept for inspection.
 */
@Injectable()
export class InboundMailStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  /** The stored message's id; null when `webhookId` was accepted before (nothing is stored). */
  async store(mail: ReceivedMail): Promise<string | null> {
    const id = await this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO inbound_messages (source, webhook_id, envelope_from, envelope_to, raw, size)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (webhook_id) DO NOTHING RETURNING id`,
        [mail.source, mail.webhookId ?? null, mail.envelopeFrom ?? null, mail.envelopeTo ?? [], mail.raw, mail.raw.length],
      );
      if (rows.length === 0) return null;
      await this.outbox.enqueue(manager, QueueName.InboundEmail, rows[0].id, { inboundMessageId: rows[0].id });
      return rows[0].id;
    });
    if (id) this.outbox.wakeRelays();
    return id;
  }
}
