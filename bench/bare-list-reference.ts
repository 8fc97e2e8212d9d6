/**
 * The bare reference of `bench:list` (issue #16): what answering a page of the ticket list costs
 * with nothing of Nest around it. A minimal Fastify server, no Nest, with one route,
 * `GET /api/v1/tickets` (`queue`, `status`, `cursor`, `limit`: the shapes the bench asks), that does
 * what the API does for a staff token, with the same pieces and the same statements through `pg`:
 *
 * - the token: its SHA-256 looked up with the API's own statement (`PRINCIPAL_SQL`) in `api_tokens`,
 *   cached as TokenService caches it (auth's TokenCache, the same limits);
 * - the page: intake's own SQL (`filterPageSql`, `listSelectSql` of intake's and
 *   the SLA hook's columns), prepared under the same name on each pooled connection, its instants read
 *   as ISO text (`SHOWN_INSTANT_TYPES`); the excerpts (`ticketExcerptOfStart`, and the rare whole
 *   descriptions with the same statement); the customers' billing statuses with billing's own
 *   prepared statement (BillingStatusService on this pool);
 * - the JSON: intake's `ticketListItemFromRow`, the SLA hook's `extendView`, billing's view, for the
 *   caller's reach (`ticketReach`), `{items, nextCursor}` with the same signed cursor.
 *
 * What it leaves out, and the API does: Nest's guard, pipe (the query's DTO and its validation),
 * interceptors and exception filter, the console session, token usage writes, request logging and
 * metrics, other sorts, filters, searches and customer tokens (a 400 here). So the ratio API ÷
 * reference is the price of Nest's per-request pipeline and of the API's generality.
 *
 * Run by bench:list as a child process: BARE_PORT, DATABASE_URL, BARE_POOL_SIZE. Sends
 * `{type: 'ready'}` over IPC when listening.
 */
import 'reflect-metadata';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { Principal, PRINCIPAL_SQL, principalOf, hashToken, ticketReach, TokenCache, TOKEN_CACHE_LIMITS, TokenRow } from '@helpdesk/auth';
import { BillingClock, BillingStatusService } from '@helpdesk/billing';
import { decodeSignedCursor, encodeSignedCursor, SHOWN_INSTANT_TYPES, SqlParams, useFastTimestampParser } from '@helpdesk/database';
import {
  filterPageSql,
  LIST_DESCRIPTION_CHARACTERS,
  listSelectSql,
  SORT_SEGMENTS,
  statementName,
  TICKET_STATUSES,
  ticketExcerpt,
  ticketExcerptOfStart,
  ticketListItemFromRow,
  TicketListRow,
  TicketStatus,
  VIEW_COLUMNS,
} from '@helpdesk/intake';
import type { DataSource } from 'typeorm';
import { SLA_VIEW_COLUMNS, SlaClockService } from '@helpdesk/triage';

/** The query of a page as the reference takes it; anything else is a 400. */
export interface BareListQuery {
  queue?: string;
  status?: TicketStatus[];
  cursor?: string;
  limit: number;
}

const NEWEST = SORT_SEGMENTS['-number'][0];
const KNOWN = new Set(['queue', 'status', 'cursor', 'limit']);

/** The reference's reading of a query string's parameters (the API's DTO allows more): the query, or the field at fault. */
export function bareListQuery(query: Record<string, unknown>): BareListQuery | { field: string } {
  for (const key of Object.keys(query)) if (!KNOWN.has(key)) return { field: key };
  const { queue, status, cursor, limit } = query;
  if (queue !== undefined && (typeof queue !== 'string' || queue.length === 0)) return { field: 'queue' };
  const statuses = status === undefined ? undefined : typeof status === 'string' ? status.split(',') : null;
  if (statuses === null || statuses?.some((s) => !(TICKET_STATUSES as readonly string[]).includes(s))) return { field: 'status' };
  if (cursor !== undefined && typeof cursor !== 'string') return { field: 'cursor' };
  const n = limit === undefined ? 50 : typeof limit === 'string' && /^\d{1,3}$/.test(limit) ? Number(limit) : NaN;
  if (!(n >= 1 && n <= 100)) return { field: 'limit' };
  return { queue: queue as string | undefined, status: statuses as TicketStatus[] | undefined, cursor: cursor as string | undefined, limit: n };
}

/** What a page selects: built once, as TicketFinder keeps its own (it was built again for every request). */
let listSelect: string | undefined;

/** The statement of a page, as TicketFinder builds it for the default sort (newest first). */
export function bareListStatement(query: BareListQuery): { name: string; text: string; values: unknown[] } {
  listSelect ??= listSelectSql([...new Set([...VIEW_COLUMNS, ...SLA_VIEW_COLUMNS])]);
  const p = new SqlParams();
  const after = query.cursor
    ? decodeSignedCursor(query.cursor, (c): c is { s: '-number'; g: 0; k: [string] } => {
        const k = (c as { s?: unknown; g?: unknown; k?: unknown }).k;
        return (c as { s?: unknown }).s === '-number' && (c as { g?: unknown }).g === 0 && Array.isArray(k) && k.length === 1 && /^\d{1,19}$/.test(String(k[0]));
      }).k
    : null;
  const filter = { status: query.status, queues: query.queue === undefined ? undefined : [query.queue] };
  const text = filterPageSql({ audience: 'staff' }, filter, p, null, { segment: NEWEST, after, limit: query.limit + 1, select: listSelect });
  return { name: statementName('tl', text), text, values: p.values };
}

const DESCRIPTIONS_BY_ID = `SELECT id, description FROM tickets WHERE id = ANY ($1::uuid[])`;

function main(): void {
  useFastTimestampParser();
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BARE_POOL_SIZE ?? 20), min: 2, application_name: 'bare-list-reference' });
  const cache = new TokenCache(TOKEN_CACHE_LIMITS);
  // Billing's own service and statement, on this pool (queryPrepared reads the pool from the manager's driver).
  const billing = new BillingStatusService({ manager: { connection: { driver: { master: pool } } } } as unknown as DataSource, new BillingClock());
  // The SLA hook's view of a row: extendView reads nothing of the service's state.
  const sla = new SlaClockService(undefined as never, undefined as never);

  async function principalOfToken(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return null;
    const hash = hashToken(match[1]);
    const cached = cache.get(hash);
    if (cached !== undefined) return cached;
    const generation = cache.generation;
    const { rows } = await pool.query<TokenRow>(`${PRINCIPAL_SQL} t.token_hash = $1`, [hash]);
    const principal = rows[0] ? principalOf(rows[0]) : null;
    cache.set(hash, principal, generation);
    return principal;
  }

  const app = Fastify({ logger: false });
  app.get('/api/v1/tickets', async (request, reply) => {
    const principal = await principalOfToken(request.headers.authorization);
    if (!principal) return reply.code(401).type('application/problem+json').send({ status: 401, title: 'Unauthorized' });
    if (principal.kind !== 'staff') return reply.code(400).type('application/problem+json').send({ status: 400, title: 'staff tokens only here' });
    const query = bareListQuery(request.query as Record<string, unknown>);
    if ('field' in query) return reply.code(400).type('application/problem+json').send({ status: 400, errors: [{ field: query.field, message: 'not a query the bare reference answers' }] });
    let statement: ReturnType<typeof bareListStatement>;
    try {
      statement = bareListStatement(query);
    } catch {
      return reply.code(400).type('application/problem+json').send({ status: 400, errors: [{ field: 'cursor', message: 'invalid cursor' }] });
    }
    const { rows } = await pool.query({ ...statement, types: SHOWN_INSTANT_TYPES });
    const page = rows.slice(0, query.limit) as Array<TicketListRow & { description_start: string; _k0: string }>;
    const short: typeof page = [];
    for (const row of page) {
      const excerpt = ticketExcerptOfStart(row.description_start, LIST_DESCRIPTION_CHARACTERS);
      row.excerpt = excerpt ?? '';
      if (excerpt === null) short.push(row);
    }
    if (short.length > 0) {
      const whole = await pool.query<{ id: string; description: string }>({ name: statementName('tdesc', DESCRIPTIONS_BY_ID), text: DESCRIPTIONS_BY_ID, values: [short.map((r) => r.id)] });
      const excerpts = new Map(whole.rows.map((r) => [r.id, ticketExcerpt(r.description)]));
      for (const row of short) row.excerpt = excerpts.get(row.id) ?? '';
    }
    const items = page.map((row) => {
      const view = ticketListItemFromRow(row);
      const reach = ticketReach(principal, { customerId: row.customer_id, category: row.category });
      sla.extendView(row, view, reach === 'work' ? 'staff' : reach === 'read' ? 'reader' : 'customer');
      return { row, view, reach };
    });
    const readers = items.filter((i) => i.reach !== 'customer' && i.reach !== 'none');
    if (readers.length > 0) {
      const statuses = await billing.statuses([...new Set(readers.map((i) => i.row.customer_id))]);
      for (const { row, view } of readers) {
        const status = statuses.get(row.customer_id);
        view.billing = status ? (({ customerId: _customerId, ...rest }) => rest)(status) : null;
      }
    }
    const last = page[page.length - 1];
    const nextCursor = rows.length > query.limit ? encodeSignedCursor({ s: '-number', g: 0, k: [last._k0] }) : null;
    return reply.send({ items: items.map((i) => i.view), nextCursor });
  });

  app
    .listen({ port: Number(process.env.BARE_PORT ?? 0), host: '127.0.0.1' })
    .then(() => process.send?.({ type: 'ready' }))
    .catch((error: unknown) => {
      process.stderr.write(`bare list reference: ${String(error)}\n`);
      process.exit(1);
    });

  process.on('SIGTERM', () => {
    void app.close().then(() => pool.end()).finally(() => process.exit(0));
  });
}

if (require.main === module) main();
