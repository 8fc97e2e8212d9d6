import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
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
  private server?: Server;
  private readonly logger = new Logger('MailInHealth');

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisHealthIndicator,
    private readonly listener: InboundSmtpServer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.MAIL_IN_PORT === 0) return;
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((done) => this.server!.listen(this.config.MAIL_IN_PORT, this.config.INBOUND_SMTP_HOST, done));
    this.logger.log(`mail-in health on ${this.config.INBOUND_SMTP_HOST}:${this.config.MAIL_IN_PORT}/health/ready`);
  }

  /** Where the server listens (null when MAIL_IN_PORT is 0). */
  address(): { address: string; port: number } | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? { address: address.address, port: address.port } : null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    if (url === '/health/live') return this.reply(res, 200, { status: 'ok' });
    if (url !== '/health/ready') return this.reply(res, 404, { status: 'not found' });
    const postgres = await this.dataSource.query('SELECT 1').then(
      () => ({ status: 'up' }),
      (e: Error) => ({ status: 'down', message: e.message }),
    );
    const redis = (await this.redis.pingCheck('redis')).redis;
    const smtp = { status: this.listener.listening ? 'up' : 'down' };
    const ok = postgres.status === 'up' && redis.status === 'up' && smtp.status === 'up';
    this.reply(res, ok ? 200 : 503, { status: ok ? 'ok' : 'error', details: { smtp, postgres, redis } });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }

  async onModuleDestroy(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}
