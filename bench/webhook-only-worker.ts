/**
 * A child process of `bench:escalation` (phase 3, the webhook-only reference): a BullMQ Worker whose
 * processor does only what every webhook delivery must do besides the database — sign a body of the
 * size real escalations have and POST it over the same kept-alive client the escalation worker
 * uses — so the bench can show how much of the bare no-op rate any HTTP delivery can keep at all.
 *
 * Environment (set by the bench): REDIS_URL, BENCH_QUEUE, BENCH_PREFIX, BENCH_RECEIVER_URL,
 * BENCH_JOBS, BENCH_CONCURRENCY, BENCH_BODY_BYTES. Tells its parent {type: 'ready'} once the worker
 * runs, then {type: 'done', seconds} when BENCH_JOBS jobs have completed, and exits on SIGTERM.
 */
import { ConnectionOptions, Job, Worker } from 'bullmq';
import { redisOptionsFromUrl } from '@helpdesk/queue';
import { generateWebhookSecret, signWebhook, WebhookClient } from '@helpdesk/webhooks';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const jobs = Number(env('BENCH_JOBS'));
const url = env('BENCH_RECEIVER_URL');
const secret = generateWebhookSecret();
const filler = 'x'.repeat(Math.max(0, Number(env('BENCH_BODY_BYTES')) - 120));
// The bench's receiver listens on this machine.
const webhooks = new WebhookClient({ allowPrivate: true });

async function deliver(job: Job<{ escalationId: string }>): Promise<void> {
  const body = Buffer.from(JSON.stringify({ escalationId: job.data.escalationId, tier: 'commercial', reason: filler, escalatedAt: new Date().toISOString() }), 'utf8');
  const result = await webhooks.post({
    url,
    timeoutMs: 10_000,
    headers: {
      'Content-Type': 'application/json',
      'X-Helpdesk-Event': 'escalation.created',
      'X-Helpdesk-Delivery': job.id ?? '',
      'Idempotency-Key': job.data.escalationId,
      ...signWebhook(job.data.escalationId, body, [secret]),
    },
    body,
  });
  if (!result.ok) throw new Error(result.error);
}

let completed = 0;
let startedAt = 0;
const worker = new Worker(env('BENCH_QUEUE'), deliver, {
  connection: redisOptionsFromUrl(env('REDIS_URL')) as ConnectionOptions,
  prefix: env('BENCH_PREFIX'),
  concurrency: Number(env('BENCH_CONCURRENCY')),
  autorun: false,
});
worker.on('completed', () => {
  if (++completed === jobs) process.send?.({ type: 'done', seconds: (performance.now() - startedAt) / 1000 });
});
worker.on('failed', (job, error) => process.stderr.write(`job ${job?.id} failed: ${error.message}\n`));

process.once('SIGTERM', () => {
  void worker.close().then(() => {
    webhooks.close();
    process.exit(0);
  });
});

void worker.waitUntilReady().then(() => {
  startedAt = performance.now();
  process.send?.({ type: 'ready' });
  void worker.run();
});
