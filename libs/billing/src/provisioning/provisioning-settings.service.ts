import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError, FieldErrorCode } from '@helpdesk/http';
import { parseWebhookSecret, WebhookTargets } from '@helpdesk/webhooks';
import { DeliveryMode } from './provisioning-actions';

export interface ProvisioningSettingsInput {
  delivery: DeliveryMode;
  webhookUrl?: string;
  /** Standard Webhooks secret (libs/webhooks' parseWebhookSecret). */
  secret?: string;
  timeoutMs?: number;
}

export interface ProvisioningSettingsView {
  delivery: DeliveryMode;
  webhookUrl: string | null;
  hasSecret: boolean;
  timeoutMs: number;
  updatedAt: string;
}

interface SettingsRow {
  delivery: DeliveryMode;
  webhook_url: string | null;
  secret: string | null;
  timeout_ms: number;
  updated_at: Date;
}

const view = (r: SettingsRow): ProvisioningSettingsView => ({
  delivery: r.delivery,
  webhookUrl: r.webhook_url,
  hasSecret: r.secret !== null,
  timeoutMs: r.timeout_ms,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** How provisioning hears about suspensions and restores: signed webhooks, or manual tasks. */
@Injectable()
export class ProvisioningSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly targets: WebhookTargets,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<ProvisioningSettingsView> {
    const [row]: SettingsRow[] = await this.dataSource.query(`SELECT * FROM provisioning_settings WHERE id = 1`);
    return view(row);
  }

  /** Replaces the settings; webhook delivery keeps its secret when none is sent. */
  async put(input: ProvisioningSettingsInput): Promise<ProvisioningSettingsView> {
    if (input.secret !== undefined) {
      const parsed = parseWebhookSecret(input.secret);
      if ('problem' in parsed) throw DomainError.invalid('secret', `secret ${parsed.problem}`);
    }
    if (input.webhookUrl !== undefined) await this.targets.assertTarget(input.webhookUrl);
    return this.dataSource.transaction(async (manager) => {
      const [existing]: SettingsRow[] = await manager.query(`SELECT * FROM provisioning_settings WHERE id = 1 FOR UPDATE`);
      let webhookUrl: string | null = null;
      let secret: string | null = null;
      if (input.delivery === 'webhook') {
        if (!input.webhookUrl) throw DomainError.invalid('webhookUrl', 'webhookUrl is required for webhook delivery', FieldErrorCode.WebhookRequired);
        webhookUrl = input.webhookUrl;
        secret = input.secret ?? existing.secret;
        if (!secret) throw DomainError.invalid('secret', 'secret is required for webhook delivery (it signs every request)', FieldErrorCode.WebhookRequired);
      } else if (input.webhookUrl !== undefined || input.secret !== undefined) {
        throw DomainError.invalid('delivery', 'manual delivery takes no webhookUrl or secret', FieldErrorCode.ManualNoWebhook);
      }
      const [[row]]: [SettingsRow[], number] = await manager.query(
        `UPDATE provisioning_settings SET delivery = $1, webhook_url = $2, secret = $3, timeout_ms = $4, updated_at = now() WHERE id = 1 RETURNING *`,
        [input.delivery, webhookUrl, secret, input.timeoutMs ?? 10_000],
      );
      const after = view(row);
      // The secret itself never reaches the audit log: only that it was replaced.
      await this.audit.record(manager, {
        entity: 'provisioning_settings',
        entityId: '1',
        action: 'updated',
        before: view(existing),
        after: { ...after, secretReplaced: secret !== null && secret !== existing.secret },
      });
      return after;
    });
  }
}
