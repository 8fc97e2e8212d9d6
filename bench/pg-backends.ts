/**
 * PostgreSQL's CPU split by the client process each backend serves (the API's pool, the worker's, the
 * bench's own connection), and its commits: which side of a flow the database works for. A backend
 * is matched to its client through the client's TCP port (pg_stat_activity.client_port against the
 * local ports of the sockets each named process holds, from /proc). Linux only; the embedded
 * PostgreSQL the bench started (its data directory names the postmaster).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { cpuSeconds } from './bench-stack';

export interface BackendSnapshot {
  at: number;
  /** CPU seconds of every child of the postmaster. */
  cpu: Map<number, number>;
  /** The named client process each client backend serves. */
  owner: Map<number, string>;
  /** The postmaster's own CPU with its exited children's (backends that ended in between). */
  reaped: number;
  commits: number;
  rollbacks: number;
  /** Sessions (backends) the database has had since its statistics began (PostgreSQL 14+). */
  sessions: number;
  /** Autovacuum and autoanalyze runs over every table so far (their workers' CPU is `ended` once they exit). */
  autovacuums: number;
}

/** The local TCP ports of the sockets `pid` holds. */
function localPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1));
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return new Set();
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && inodes.has(f[9])) ports.add(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports;
}

export async function backendSnapshot(pg: Client, dataDir: string | undefined, clients: Record<string, number | undefined>): Promise<BackendSnapshot> {
  const cpu = new Map<number, number>();
  let reaped = 0;
  if (dataDir) {
    try {
      const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      reaped = cpuSeconds(postmaster, true);
      for (const child of readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/)) {
        if (child) cpu.set(Number(child), cpuSeconds(Number(child)));
      }
    } catch {
      // not the embedded PostgreSQL, or not Linux
    }
  }
  const portOwner = new Map<number, string>();
  for (const [name, pid] of Object.entries({ ...clients, bench: process.pid })) {
    if (pid) for (const port of localPorts(pid)) portOwner.set(port, name);
  }
  const { rows } = await pg.query<{ pid: number; client_port: number | null }>(`SELECT pid, client_port FROM pg_stat_activity WHERE backend_type = 'client backend'`);
  const owner = new Map<number, string>();
  for (const r of rows) owner.set(r.pid, (r.client_port !== null && portOwner.get(r.client_port)) || 'unknown client');
  const [db] = (
    await pg.query<{ commits: string; rollbacks: string; sessions: string; autovacuums: string }>(
      `SELECT xact_commit AS commits, xact_rollback AS rollbacks, sessions,
              (SELECT sum(autovacuum_count + autoanalyze_count) FROM pg_stat_all_tables) AS autovacuums
         FROM pg_stat_database WHERE datname = current_database()`,
    )
  ).rows;
  return { at: Date.now(), cpu, owner, reaped, commits: Number(db.commits), rollbacks: Number(db.rollbacks), sessions: Number(db.sessions), autovacuums: Number(db.autovacuums) };
}

/**
 * Between two snapshots: PostgreSQL's cores per client (`background`: the server's own processes,
 * WAL writer, checkpointer, autovacuum; `ended`: backends that exited in between), and commits.
 */
export function backendsBetween(
  a: BackendSnapshot,
  b: BackendSnapshot,
): { cores: Record<string, number>; cpuSeconds: Record<string, number>; commits: number; rollbacks: number; sessions: number; autovacuums: number } {
  const wall = (b.at - a.at) / 1000;
  const seconds: Record<string, number> = {};
  const add = (name: string, s: number) => (seconds[name] = (seconds[name] ?? 0) + s);
  for (const [pid, used] of b.cpu) {
    const name = b.owner.get(pid) ?? a.owner.get(pid) ?? 'background';
    add(name, used - (a.cpu.get(pid) ?? 0));
  }
  add('ended', b.reaped - a.reaped);
  const cores = Object.fromEntries(Object.entries(seconds).map(([name, s]) => [name, Math.round((s / wall) * 100) / 100]));
  return { cores, cpuSeconds: seconds, commits: b.commits - a.commits, rollbacks: b.rollbacks - a.rollbacks, sessions: b.sessions - a.sessions, autovacuums: b.autovacuums - a.autovacuums };
}

/**
 * The statements (top level, as the clients sent them) of a phase per item: calls and execution time
 * per item, the `limit` most expensive, and the totals. Needs pg_stat_statements (BENCH_PG_STATEMENTS=1).
 */
export async function statementsPerItem(
  pg: Client,
  items: number,
  limit = 20,
): Promise<{ callsPerItem: number; execMsPerItem: number; plansPerItem: number; planMsPerItem: number; walBytesPerItem: number; blocksHitPerItem: number; blocksDirtiedPerItem: number; lines: string[] }> {
  const { rows } = await pg.query<{ calls: string; total: number; plans: string; planning: number; rows: string; query: string; wal: string; hit: string; dirtied: string }>(
    `SELECT calls, total_exec_time::float8 AS total, plans, total_plan_time::float8 AS planning, rows, wal_bytes::text AS wal, shared_blks_hit AS hit, shared_blks_dirtied AS dirtied,
            regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements
      WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat%'
      ORDER BY total_exec_time DESC`,
  );
  const n = Math.max(1, items);
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const calls = sum((r) => Number(r.calls));
  const exec = sum((r) => r.total);
  const lines = rows
    .slice(0, limit)
    .map((r) => `${((r.total * 1000) / n).toFixed(0).padStart(5)} µs/item ${(Number(r.calls) / n).toFixed(2).padStart(6)} calls/item ${(Number(r.plans) / n).toFixed(2).padStart(6)} plans/item ${((r.planning * 1000) / n).toFixed(0).padStart(4)} µs planning/item ${(Number(r.rows) / Math.max(1, Number(r.calls))).toFixed(1).padStart(6)} rows/call ${(Number(r.hit) / Math.max(1, Number(r.calls))).toFixed(0).padStart(6)} blocks hit/call ${(Number(r.wal) / n).toFixed(0).padStart(6)} WAL B/item  ${r.query.slice(0, 150)}`);
  return {
    callsPerItem: calls / n,
    execMsPerItem: exec / n,
    // Planning: a statement sent unnamed is planned at every call; a named one once per connection
    // (zero when pg_stat_statements.track_planning is off, as on an external DATABASE_URL by default).
    plansPerItem: sum((r) => Number(r.plans)) / n,
    planMsPerItem: sum((r) => r.planning) / n,
    walBytesPerItem: sum((r) => Number(r.wal)) / n,
    blocksHitPerItem: sum((r) => Number(r.hit)) / n,
    blocksDirtiedPerItem: sum((r) => Number(r.dirtied)) / n,
    lines,
  };
}

/**
 * WAL written between two LSNs, per item (`BENCH_PG_WAL=1`, pg_walinspect): by relation (a record
 * counted under the relation of its first block, its full length, full-page images included; the
 * images also apart) and by record type (pg_get_wal_stats: commits and other records without a block
 * too). Every database's WAL is in the range; the relations are this database's. Needs the WAL
 * still on disk (short runs).
 */
export async function walPerItem(pg: Client, startLsn: string, endLsn: string, items: number, limit = 14): Promise<string[]> {
  const n = Math.max(1, items);
  await pg.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
  const { rows: byRelation } = await pg.query<{ rel: string; bytes: string; fpi: string; records: string }>(
    `SELECT coalesce(pg_filenode_relation(CASE WHEN b.reltablespace = d.dattablespace THEN 0 ELSE b.reltablespace END, b.relfilenode)::regclass::text, b.relfilenode::text) AS rel,
            sum(b.record_length) FILTER (WHERE b.block_id = 0) AS bytes, sum(b.block_fpi_length) AS fpi, count(*) FILTER (WHERE b.block_id = 0) AS records
       FROM pg_get_wal_block_info($1::pg_lsn, $2::pg_lsn, false) b, pg_database d
      WHERE d.datname = current_database()
      GROUP BY 1 ORDER BY 2 DESC NULLS LAST`,
    [startLsn, endLsn],
  );
  const { rows: byType } = await pg.query<{ type: string; count: string; bytes: string }>(
    `SELECT "resource_manager/record_type" AS type, count, combined_size AS bytes FROM pg_get_wal_stats($1::pg_lsn, $2::pg_lsn, true) WHERE count > 0 ORDER BY combined_size DESC`,
    [startLsn, endLsn],
  );
  const per = (x: string | number) => (Number(x) / n).toFixed(Number(x) / n < 10 ? 2 : 0);
  return [
    ...byRelation.slice(0, limit).map((r) => `WAL by relation: ${per(r.bytes).padStart(6)} B/item (${per(r.fpi)} of it full pages), ${per(r.records)} records/item  ${r.rel}`),
    ...byType.slice(0, limit).map((r) => `WAL by record type: ${per(r.bytes).padStart(6)} B/item, ${per(r.count)} records/item  ${r.type}`),
  ];
}
