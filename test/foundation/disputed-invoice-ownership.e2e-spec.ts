import { TicketDisputedInvoice1764005000300 } from '../../libs/database/src/migrations/1764005000300-TicketDisputedInvoice';
import { bearer, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

/**
 * `tickets.disputed_invoice` is intake's column, added by intake's migration 1764005000300. A
 * database that billing's older migration gave the column keeps it and its data; a new one gets it
 * from intake's migration.
 */
describe("tickets.disputed_invoice is intake's column", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  const columns = async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'tickets' AND column_name = 'disputed_invoice'`))[0].n;
  const indexes = async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'tickets' AND indexname = 'tickets_disputed_invoice_idx'`))[0].n;

  it('an existing database (the column already there, with data) migrates cleanly and keeps every value', async () => {
    const customer = await createCustomer(api, (await createPlan(api)).id);
    const ticket = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customer.id, { category: 'billing' }));
    expect(ticket.status).toBe(201);
    await api.dataSource.query(`UPDATE tickets SET disputed_invoice = 'INV-OLD-1' WHERE id = $1`, [ticket.body.id]);
    const runner = api.dataSource.createQueryRunner();
    try {
      await new TicketDisputedInvoice1764005000300().up(runner);
    } finally {
      await runner.release();
    }
    expect([await columns(), await indexes()]).toEqual([1, 1]);
    expect((await api.dataSource.query(`SELECT disputed_invoice FROM tickets WHERE id = $1`, [ticket.body.id]))[0].disputed_invoice).toBe('INV-OLD-1');
  });

  it('reverts and migrates forward again: the column and its index come from this migration', async () => {
    const runner = api.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = new TicketDisputedInvoice1764005000300();
      await migration.down(runner);
      const gone = await runner.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'tickets' AND column_name = 'disputed_invoice'`);
      expect(gone[0].n).toBe(0);
      await migration.up(runner);
      const back = await runner.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'tickets' AND indexname = 'tickets_disputed_invoice_idx'`);
      expect(back[0].n).toBe(1);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect([await columns(), await indexes()]).toEqual([1, 1]);
  });
});
