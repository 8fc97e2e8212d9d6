import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { metricsScrapeAllowed, WorkerMetricsService } from '@helpdesk/monitoring';
import { RedisHealthIndicator } from '@helpdesk/queue';
import { LauncherState } from './launcher-state';

/**
 * The worker's only HTTP, on WORKER_PORT (0 = off): /health/live, /health/ready and the
 * Prometheus /metrics (protected by METRICS_TOKEN when set). Under `npm start`, /health/ready
 * also lists the processes the launcher supervises (`launcher.processes`).
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnModuleDestroy {
  private server?: Server;
  private readonly logger = new Logger('WorkerHealth');

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisHealthIndicator,
    private readonly metrics: WorkerMetricsService,
    private readonly launcher: LauncherState,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The root module starts last: every worker of the process exists by now.
    this.metrics.observeRunningWorkers();
    if (this.config.WORKER_PORT === 0) return;
    this.server = createServer((req, res) => void this.handle(req, res));
    // Loopback unless METRICS_TOKEN protects /metrics or WORKER_HOST says otherwise (AppConfig.workerHost).
    await new Promise<void>((done) => this.server!.listen(this.config.WORKER_PORT, this.config.workerHost, done));
    this.logger.log(`worker health on ${this.config.workerHost}:${this.config.WORKER_PORT}/health/ready`);
  }

  /** Where the server listens (null when WORKER_PORT is 0). */
  address(): { address: string; port: number } | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? { address: address.address, port: address.port } : null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    if (url === '/health/live') return this.reply(res, 200, { status: 'ok' });
    if (url === '/metrics' || url.startsWith('/metrics?')) return this.scrape(req, res);
    if (url !== '/health/ready') return this.reply(res, 404, { status: 'not found' });
    const postgres = await this.dataSource.query('SELECT 1').then(
      () => ({ status: 'up' }),
      (e: Error) => ({ status: 'down', message: e.message }),
    );
    const redis = (await this.redis.pingCheck('redis')).redis;
    const ok = postgres.status === 'up' && redis.status === 'up';
    const processes = this.launcher.processes;
    this.reply(res, ok ? 200 : 503, { status: ok ? 'ok' : 'error', details: { postgres, redis }, ...(processes ? { launcher: { processes } } : {}) });
  }

  private async scrape(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.reply(res, 405, { status: 'method not allowed' });
    if (!metricsScrapeAllowed(this.config.METRICS_TOKEN, req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return this.reply(res, 401, { status: 'unauthorized' });
    }
    try {
      const body = await this.metrics.scrape();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error(`metrics scrape failed: ${error instanceof Error ? error.message : String(error)}`);
      this.reply(res, 500, { status: 'error' });
    }
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }

  async onModuleDestroy(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}
