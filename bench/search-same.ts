/**
 * `node dist/bench/search-same.js`: whether two builds' searches with a status filter give the same
 * tickets in the same order, over the bench's corpus — every word (one and two words, English and
 * Spanish) with each open status, two statuses, every open status, a status and a queue, a closed
 * status, for staff and for a customer: four pages deep by each build's own cursor, and the count.
 *
 * Environment: DATABASE_URL (a database seeded by `bench:workbench`), SEARCH_BASE (the other build's
 * `@helpdesk/intake`, e.g. main's `dist/libs/intake/src/index.js`), SEARCH_PAGES (default 4).
 * Exits 1 on the first difference, printing the request.
 */
import { join } from 'node:path';
import { Client } from 'pg';
import type { TicketFinder as Finder, TicketListRequest, TicketScope } from '@helpdesk/intake';
import { QUERIES } from './search-corpus';

type Intake = { TicketFinder: new (dataSource: never, hooks: never) => Finder; TicketHooks: new () => unknown };
/* eslint-disable @typescript-eslint/no-require-imports */
const ours = require(join(__dirname, '../libs/intake/src/index.js')) as Intake;
const base = require(process.env.SEARCH_BASE ?? '') as Intake;
/* eslint-enable @typescript-eslint/no-require-imports */
const PAGES = Number(process.env.SEARCH_PAGES ?? 4);

async function main(): Promise<void> {
  const pg = new Client({ connectionString: process.env.DATABASE_URL });
  await pg.connect();
  const [{ id: agentId }] = (await pg.query(`SELECT id FROM agents WHERE email = 'bench-agent@partner.example'`)).rows as Array<{ id: string }>;
  const [{ id: customerId }] = (await pg.query(`SELECT id FROM customers ORDER BY created_at, id LIMIT 1`)).rows as Array<{ id: string }>;
  const dataSource = {
    query: async (text: string, values: unknown[] = []) => (await pg.query(text, values)).rows,
    manager: { queryRunner: undefined, connection: { driver: { master: { query: (c: { text: string; values?: unknown[] }) => pg.query(c.text, c.values ?? []) } } } },
  };
  const finders = [ours, base].map((intake) => new intake.TicketFinder(dataSource as never, new intake.TicketHooks() as never));
  const staff: TicketScope = { audience: 'staff', agentId, worksCategories: 'all' };
  const customer: TicketScope = { audience: 'customer', customerId };
  const words = [...(['en', 'es'] as const).flatMap((l) => [...QUERIES[l].frequent, ...QUERIES[l].medium, ...QUERIES[l].rare, ...QUERIES[l].twoWords])];
  const filters: Array<Partial<TicketListRequest>> = [
    ...(['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated'] as const).map((s) => ({ status: [s] })),
    { status: ['triaged', 'in_progress'] },
    { status: ['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated'] },
    { status: ['in_progress'], queues: ['billing'] },
    { status: ['resolved'] },
  ];
  let requests = 0;
  let rows = 0;
  for (const [scope, name] of [[staff, 'staff'], [customer, 'customer']] as const) {
    for (const q of words) {
      for (const filter of filters) {
        const request = { q, ...filter } as TicketListRequest;
        const label = `${name} ${JSON.stringify(request)}`;
        const cursors: Array<string | undefined> = [undefined, undefined];
        for (let page = 0; page < PAGES; page++) {
          const [a, b] = await Promise.all(finders.map((f, i) => f.page(scope, { ...request, limit: 50, cursor: cursors[i] })));
          requests++;
          const ids = (p: typeof a) => p.rows.map((r) => (r as { id: string }).id).join(',');
          if (ids(a) !== ids(b) || (a.nextCursor === null) !== (b.nextCursor === null)) throw new Error(`page ${page + 1} differs: ${label}`);
          rows += a.rows.length;
          if (!a.nextCursor) break;
          cursors[0] = a.nextCursor;
          cursors[1] = b.nextCursor ?? undefined;
        }
        const [na, nb] = await Promise.all(finders.map((f) => f.count(scope, request, 1000)));
        if (na !== nb) throw new Error(`count differs (${na}, ${nb}): ${label}`);
      }
    }
  }
  process.stdout.write(`SEARCH_SAME ${JSON.stringify({ requests, rows })}: identical\n`);
  await pg.end();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
