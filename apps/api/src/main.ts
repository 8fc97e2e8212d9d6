import 'reflect-metadata';
import cluster from 'node:cluster';
import { AppConfig, validateConfig } from '@helpdesk/config';
import { createApi } from './create-api';
import { stopGracefully } from './graceful-stop';

async function bootstrap(config: AppConfig): Promise<void> {
  const app = await createApi(config);
  stopGracefully(app, config.SHUTDOWN_TIMEOUT_MS);
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  process.send?.({ type: 'ready', app: 'api', port: config.PORT });
}

/**
 * API_PROCESSES > 1: this process only supervises that many API processes sharing the port
 * (node:cluster), restarts one that dies, and stops them all on SIGINT/SIGTERM.
 */
function supervise(processes: number, port: number): void {
  let ready = 0;
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < processes; i++) fork();
  cluster.on('message', (_worker, message: { type?: string }) => {
    if (message?.type === 'ready' && ++ready === processes) process.send?.({ type: 'ready', app: 'api', port, processes });
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`API process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker?.process.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const config = (() => {
  try {
    return validateConfig(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return process.exit(1);
  }
})();

if (cluster.isPrimary && config.API_PROCESSES > 1) {
  supervise(config.API_PROCESSES, config.PORT);
} else {
  bootstrap(config).catch((error: unknown) => {
    console.error('The API failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
