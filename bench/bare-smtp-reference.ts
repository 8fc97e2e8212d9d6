/**
 * The bare references of `bench:email`'s inbound phase: what receiving mail over SMTP costs on this
 * machine with nothing of ours around it, measured with the same client, rate and connections as
 * mail-in's listener.
 *
 * - `discard`: smtp-server (the listener's own options) reads each message whole and answers `250`.
 *   The ceiling of the SMTP exchange itself: the client, the connections, the protocol's round trips.
 * - `store`: the same, and the raw message is first committed to PostgreSQL (one INSERT per message,
 *   its own transaction, through a `pg` pool of the worker's size) — the least a listener that answers
 *   `250` only after a durable commit can do. No parsing, no ticket, no queue.
 *
 * Run by email.bench.ts as a child process: BARE_SMTP_PORT, BARE_SMTP_MODE (`discard` | `store`),
 * DATABASE_URL and BARE_POOL_SIZE for `store` (its table `bench_bare_inbound` is created here and
 * dropped by the bench). Sends `{type: 'ready'}` over IPC when listening.
 */
import { Pool } from 'pg';
import { startSmtpReceiver } from '@helpdesk/devstack';

const mode = process.env.BARE_SMTP_MODE === 'store' ? 'store' : 'discard';
const pool = mode === 'store' ? new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BARE_POOL_SIZE ?? 20) }) : undefined;

async function main(): Promise<void> {
  if (pool) await pool.query(`CREATE TABLE IF NOT EXISTS bench_bare_inbound (id bigserial PRIMARY KEY, raw bytea NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`);
  let count = 0;
  await startSmtpReceiver(Number(process.env.BARE_SMTP_PORT), async (raw) => {
    if (pool) {
      const { rows } = await pool.query<{ id: string }>(`INSERT INTO bench_bare_inbound (raw) VALUES ($1) RETURNING id`, [raw]);
      return `stored as ${rows[0].id}`;
    }
    return `discarded ${++count}`;
  });
  process.send?.({ type: 'ready' });
}

process.on('SIGTERM', () => {
  void (pool?.end() ?? Promise.resolve()).finally(() => process.exit(0));
});

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
