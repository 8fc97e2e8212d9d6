import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { HealthHttpServer, replyJson, storesStatus } from '@helpdesk/app-process';
import { InboundSmtpServer } from '@helpdesk/channels/mail-in';
import { AppConfig } from '@helpdesk/config';
import { RedisHealthIndicator } from '@helpdesk/queue';

/**
 * The mail-in app's only HTTP, on MAIL_IN_PORT (0 = off) at INBOUND_SMTP_HOST: /health/live, and
 * /health/ready — 200 while the listener takes mail and PostgreSQL and Redis answer, 503 once it
 * is stopping (a load balancer then sends new sessions elsewhere) or either is down.
 */
@Injectable()
export class MailInHealthServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly http = new HealthHttpServer((req, res) => this.handle(req, res));
  private readonly logger = new Logger('MailInHealth');

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisHealthIndicator,
    private readonly listener: InboundSmtpServer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.MAIL_IN_PORT === 0) return;
    await this.http.listen(this.config.MAIL_IN_PORT, this.config.INBOUND_SMTP_HOST);
    this.logger.log(`mail-in health on ${this.config.INBOUND_SMTP_HOST}:${this.config.MAIL_IN_PORT}/health/ready`);
  }

  /** Where the server listens (null when MAIL_IN_PORT is 0). */
  address(): { address: string; port: number } | null {
    return this.http.address();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    if (url === '/health/live') return replyJson(res, 200, { status: 'ok' });
    if (url !== '/health/ready') return replyJson(res, 404, { status: 'not found' });
    const { postgres, redis } = await storesStatus(this.dataSource, this.redis);
    const smtp = { status: this.listener.listening ? 'up' : 'down' };
    const ok = postgres.status === 'up' && redis.status === 'up' && smtp.status === 'up';
    replyJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'error', details: { smtp, postgres, redis } });
  }

  async onModuleDestroy(): Promise<void> {
    await this.http.close();
  }
}
