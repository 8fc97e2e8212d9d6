import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { AgentsService } from '@helpdesk/auth';
import type { AppConfig } from '@helpdesk/config';
import type { TicketsService } from './tickets.service';
import { BULK_TICKET_BEGIN, bulkConcurrency, TicketBulkService, warmBulkSession } from './ticket-bulk.service';

describe('bulkConcurrency: ticket changes of a bulk request in flight', () => {
  it('takes at most half the pool with the request’s own connection, and at most 8', () => {
    expect(bulkConcurrency(20)).toBe(8);
    expect(bulkConcurrency(200)).toBe(8);
    expect(bulkConcurrency(10)).toBe(4);
    expect(bulkConcurrency(6)).toBe(2);
  });

  it('runs one change at a time on a small pool rather than none', () => {
    expect(bulkConcurrency(3)).toBe(1);
    expect(bulkConcurrency(1)).toBe(1);
  });
});

describe('warmBulkSession: a new session run through the bulk’s statements', () => {
  const runnerLog = (fail?: string) => {
    const sql: string[] = [];
    const runner = {
      manager: {},
      query: async (text: string) => {
        sql.push(text.replace(/\s+/g, ' ').trim());
        if (fail && text.includes(fail)) throw new Error('lost');
        return [];
      },
    } as unknown as QueryRunner;
    return { runner, sql };
  };

  it('begins as a bulk change does, locks and writes no row, checks no agent, and rolls back', async () => {
    const { runner, sql } = runnerLog();
    const checked: string[] = [];
    await warmBulkSession(runner, { assertAssignable: async (_m: EntityManager, id: string) => void checked.push(id) });
    expect(sql[0]).toBe(BULK_TICKET_BEGIN);
    expect(sql[1]).toMatch(/^SELECT \* FROM tickets WHERE id = \$1 FOR UPDATE$/);
    expect(sql[2]).toMatch(/^WITH changed AS \( UPDATE tickets SET status = \$2, priority = \$3, assignee_id = \$4, tags = \$5/);
    expect(sql[sql.length - 1]).toBe('ROLLBACK');
    expect(checked).toEqual(['00000000-0000-0000-0000-000000000000']);
  });

  it('rolls back when a statement fails, and fails', async () => {
    const { runner, sql } = runnerLog('FOR UPDATE');
    await expect(warmBulkSession(runner, { assertAssignable: async () => undefined })).rejects.toThrow('lost');
    expect(sql[sql.length - 1]).toBe('ROLLBACK');
  });

  it('takes the assignee check’s refusal of an unknown agent as expected', async () => {
    const { runner, sql } = runnerLog();
    await warmBulkSession(runner, {
      assertAssignable: async () => {
        throw new Error('no agent has the id');
      },
    });
    expect(sql[sql.length - 1]).toBe('ROLLBACK');
  });
});

describe('TicketBulkService.keepConnectionsReady', () => {
  /** A DataSource whose connections cannot be had `failures` times, then can. */
  const dataSource = (failures: number) => {
    let refused = 0;
    const pool = { options: { min: 2, max: 20 }, totalCount: 0, idleCount: 0 };
    return {
      pool,
      ds: {
        driver: { master: pool },
        createQueryRunner: () => ({
          manager: {},
          connect: async () => {
            if (refused < failures) {
              refused++;
              throw new Error('ECONNREFUSED');
            }
          },
          release: async () => undefined,
          query: async () => [],
        }),
      } as unknown as DataSource,
    };
  };
  const service = (ds: DataSource) =>
    new TicketBulkService(ds, {} as TicketsService, { assertAssignable: async () => undefined } as unknown as AgentsService, { DATABASE_POOL_SIZE: 20 } as AppConfig);

  it('keeps the bulk’s changes in flight and its claim, once', async () => {
    const { ds, pool } = dataSource(0);
    const bulk = service(ds);
    const first = bulk.keepConnectionsReady();
    expect(bulk.keepConnectionsReady()).toBe(first);
    expect(await first).toBe(bulkConcurrency(20) + 1);
    expect(pool.options.min).toBe(9);
  });

  it('tries again after a failure rather than keeping it', async () => {
    const { ds, pool } = dataSource(1);
    const bulk = service(ds);
    await expect(bulk.keepConnectionsReady()).rejects.toThrow('ECONNREFUSED');
    expect(await bulk.keepConnectionsReady()).toBe(9);
    expect(pool.options.min).toBe(9);
  });
});
