import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import type { RedisHealthIndicator } from '@helpdesk/queue';

export interface DependencyStatus {
  status: 'up' | 'down';
  message?: string;
}

/**
 * The plain HTTP server a headless app (the worker, mail-in) answers its health on: no Nest
 * routing, one handler the app gives. Listens when asked, closes with the app.
 */
export class HealthHttpServer {
  private server?: Server;

  constructor(private readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {}

  async listen(port: number, host: string): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((done) => this.server!.listen(port, host, done));
  }

  /** Where the server listens (null before `listen`, or when the app left it off). */
  address(): { address: string; port: number } | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? { address: address.address, port: address.port } : null;
  }

  async close(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

/** A JSON answer: the health routes' only kind. */
export function replyJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** Whether PostgreSQL and Redis answer now: what every app's /health/ready reports first. */
export async function storesStatus(dataSource: DataSource, redis: RedisHealthIndicator): Promise<{ postgres: DependencyStatus; redis: DependencyStatus }> {
  const [postgres, redisResult] = await Promise.all([
    dataSource.query('SELECT 1').then(
      (): DependencyStatus => ({ status: 'up' }),
      (e: Error): DependencyStatus => ({ status: 'down', message: e.message }),
    ),
    redis.pingCheck('redis'),
  ]);
  return { postgres, redis: redisResult.redis as DependencyStatus };
}
