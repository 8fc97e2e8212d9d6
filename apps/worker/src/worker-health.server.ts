import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { HealthHttpServer, replyJson, storesStatus } from '@helpdesk/app-process';
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
  private readonly http = new HealthHttpServer((req, res) => this.handle(req, res));
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
    // Loopback unless METRICS_TOKEN protects /metrics or WORKER_HOST says otherwise (AppConfig.workerHost).
    await this.http.listen(this.config.WORKER_PORT, this.config.workerHost);
    this.logger.log(`worker health on ${this.config.workerHost}:${this.config.WORKER_PORT}/health/ready`);
  }

  /** Where the server listens (null when WORKER_PORT is 0). */
  address(): { address: string; port: number } | null {
    return this.http.address();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    if (url === '/health/live') return replyJson(res, 200, { status: 'ok' });
    if (url === '/metrics' || url.startsWith('/metrics?')) return this.scrape(req, res);
    if (url !== '/health/ready') return replyJson(res, 404, { status: 'not found' });
    const { postgres, redis } = await storesStatus(this.dataSource, this.redis);
    const ok = postgres.status === 'up' && redis.status === 'up';
    const processes = this.launcher.processes;
    replyJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'error', details: { postgres, redis }, ...(processes ? { launcher: { processes } } : {}) });
  }

  private async scrape(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return replyJson(res, 405, { status: 'method not allowed' });
    if (!metricsScrapeAllowed(this.config.METRICS_TOKEN, req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return replyJson(res, 401, { status: 'unauthorized' });
    }
    try {
      const body = await this.metrics.scrape();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error(`metrics scrape failed: ${error instanceof Error ? error.message : String(error)}`);
      replyJson(res, 500, { status: 'error' });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.http.close();
  }
}
