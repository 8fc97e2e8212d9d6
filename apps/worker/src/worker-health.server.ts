import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createServer, Server } from 'node:http';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { RedisHealthIndicator } from '@helpdesk/queue';

/** The worker's only HTTP: /health/live and /health/ready on WORKER_PORT (0 = off). */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnModuleDestroy {
  private server?: Server;
  private readonly logger = new Logger('WorkerHealth');

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisHealthIndicator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.WORKER_PORT === 0) return;
    this.server = createServer((req, res) => void this.handle(req.url ?? '', res));
    await new Promise<void>((done) => this.server!.listen(this.config.WORKER_PORT, '0.0.0.0', done));
    this.logger.log(`worker health on :${this.config.WORKER_PORT}/health/ready`);
  }

  private async handle(url: string, res: import('node:http').ServerResponse): Promise<void> {
    if (url === '/health/live') return this.reply(res, 200, { status: 'ok' });
    if (url !== '/health/ready') return this.reply(res, 404, { status: 'not found' });
    const postgres = await this.dataSource.query('SELECT 1').then(
      () => ({ status: 'up' }),
      (e: Error) => ({ status: 'down', message: e.message }),
    );
    const redis = (await this.redis.pingCheck('redis')).redis;
    const ok = postgres.status === 'up' && redis.status === 'up';
    this.reply(res, ok ? 200 : 503, { status: ok ? 'ok' : 'error', details: { postgres, redis } });
  }

  private reply(res: import('node:http').ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }

  async onModuleDestroy(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}
