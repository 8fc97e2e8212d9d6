/**
 * What PostgreSQL wrote for a window's work, counted rather than timed (the load does not move
 * them): commits, WAL (records, full-page images, bytes) and, per table, rows inserted, updated
 * and of those updated in place (HOT: no index entry written). `bench:escalation` gives them per
 * delivery for phase 1. WAL bytes are the distance between two WAL positions (exact); the other
 * counters come from the cumulative statistics, which a backend flushes when it goes idle (at most
 * once a second, or ten when it could not), so a settled reading is taken once two readings a
 * second apart agree.
 */
import type { Client } from 'pg';

export interface TableWrites {
  inserted: number;
  updated: number;
  hotUpdated: number;
  deleted: number;
}

export interface PgWriteCounts {
  commits: number;
  walRecords: number;
  walFullPageImages: number;
  walBytes: number;
  tables: Record<string, TableWrites>;
}

/** The statistics' own delay: a backend flushes its counters at most once a second. */
const FLUSH_MS = 1_100;

/** Most readings a settled reading waits for (≈ 12 s). */
const MAX_READINGS = 11;

/** The counters once settled (see above), for `tables` (those absent count zero). */
export async function pgWriteCounts(pg: Client, tables: string[]): Promise<PgWriteCounts> {
  let last = await readCounts(pg, tables);
  for (let i = 1; i < MAX_READINGS; i++) {
    await new Promise((done) => setTimeout(done, FLUSH_MS));
    const next = await readCounts(pg, tables);
    const same = next.commits === last.commits && next.walRecords === last.walRecords && JSON.stringify(next.tables) === JSON.stringify(last.tables);
    last = next;
    if (same) break;
  }
  return last;
}

async function readCounts(pg: Client, tables: string[]): Promise<PgWriteCounts> {
  // One statement, so one snapshot of the statistics (and this reading's own commit counted once).
  const { rows } = await pg.query<{ commits: string; records: string; fpi: string; bytes: string; tables: Array<{ relname: string; ins: string; upd: string; hot: string; del: string }> | null }>(
    `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits,
            w.wal_records AS records, w.wal_fpi AS fpi, pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0') AS bytes,
            (SELECT json_agg(json_build_object('relname', relname, 'ins', n_tup_ins, 'upd', n_tup_upd, 'hot', n_tup_hot_upd, 'del', n_tup_del))
               FROM pg_stat_user_tables WHERE relname = ANY($1::text[])) AS tables
       FROM pg_stat_wal w`,
    [tables],
  );
  const [now] = rows;
  const found = new Map((now.tables ?? []).map((r) => [r.relname, r]));
  return {
    commits: Number(now.commits),
    walRecords: Number(now.records),
    walFullPageImages: Number(now.fpi),
    walBytes: Number(now.bytes),
    tables: Object.fromEntries(
      tables.map((t) => {
        const r = found.get(t);
        return [t, { inserted: Number(r?.ins ?? 0), updated: Number(r?.upd ?? 0), hotUpdated: Number(r?.hot ?? 0), deleted: Number(r?.del ?? 0) }];
      }),
    ),
  };
}

/** Two readings' difference per item, two decimals (WAL bytes whole); a table neither touched is left out. */
export function writesPerItem(before: PgWriteCounts, after: PgWriteCounts, items: number): PgWriteCounts {
  if (!(items > 0)) throw new Error(`items must be positive, not ${items}`);
  const per = (a: number, b: number) => Math.round(((b - a) / items) * 100) / 100;
  const tables: Record<string, TableWrites> = {};
  for (const [name, b] of Object.entries(after.tables)) {
    const a = before.tables[name] ?? { inserted: 0, updated: 0, hotUpdated: 0, deleted: 0 };
    const t = { inserted: per(a.inserted, b.inserted), updated: per(a.updated, b.updated), hotUpdated: per(a.hotUpdated, b.hotUpdated), deleted: per(a.deleted, b.deleted) };
    if (t.inserted !== 0 || t.updated !== 0 || t.deleted !== 0) tables[name] = t;
  }
  return {
    commits: per(before.commits, after.commits),
    walRecords: per(before.walRecords, after.walRecords),
    walFullPageImages: per(before.walFullPageImages, after.walFullPageImages),
    walBytes: Math.round((after.walBytes - before.walBytes) / items),
    tables,
  };
}

/** One line: `commits 0.05, WAL 12.3 records (0.4 full-page images) 2,345 bytes; escalations 0 ins, 1 upd (0 HOT), 0 del; …`. */
export function writesText(w: PgWriteCounts): string {
  const tables = Object.entries(w.tables).map(([name, t]) => `${name} ${t.inserted} ins, ${t.updated} upd (${t.hotUpdated} HOT), ${t.deleted} del`);
  return `commits ${w.commits}, WAL ${w.walRecords} records (${w.walFullPageImages} full-page images) ${w.walBytes.toLocaleString('en')} bytes; ${tables.join('; ')}`;
}
