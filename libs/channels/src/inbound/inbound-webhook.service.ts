import { Injectable, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '@helpdesk/config';
import { verifyWebhook, WebhookRejected } from '@helpdesk/webhooks';
import { InboundMailStore } from './inbound-mail-store.service';

/**
 * `POST /inbound-email`: a mail provider's inbound webhook, the raw RFC 5322 message signed per
 * Standard Webhooks with INBOUND_EMAIL_SECRET. A wrong or missing signature, a timestamp more
 * than 5 minutes off or a webhook-id already accepted is a 401 and stores nothing.
 */
@Injectable()
export class InboundWebhookService {
  constructor(
    private readonly config: AppConfig,
    private readonly store: InboundMailStore,
  ) {}

  async receive(raw: Buffer | undefined, headers: Record<string, string | string[] | undefined>): Promise<{ id: string }> {
    const secret = this.config.INBOUND_EMAIL_SECRET;
    if (!secret) throw new UnauthorizedException('Inbound e-mail by webhook is not enabled (INBOUND_EMAIL_SECRET is not set)');
    const body = raw ?? Buffer.alloc(0);
    let webhookId: string;
    try {
      webhookId = verifyWebhook(body, headers, [secret]).id;
    } catch (error) {
      if (error instanceof WebhookRejected) throw new UnauthorizedException(error.message);
      throw error;
    }
    const id = await this.store.store({ source: 'webhook', raw: body, webhookId });
    if (!id) throw new UnauthorizedException(`webhook-id ${JSON.stringify(webhookId)} was already received: a message is accepted once`);
    return { id };
  }
}
