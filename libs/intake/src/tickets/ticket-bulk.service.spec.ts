import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Actor, AgentsService } from '@helpdesk/auth';
import type { AppConfig } from '@helpdesk/config';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import type { TicketsService } from './tickets.service';
import type { TicketChangePatch } from './ticket-writes';
import type { TicketRow } from './ticket.view';
import { MAX_TAGS_PER_TICKET } from './ticket-tags';
import { BULK_TICKET_BEGIN, bulkConcurrency, BulkWarmUpServices, TicketBulkService, WARM_UP_TAG, warmBulkSession, warmUpChange } from './ticket-bulk.service';

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

describe('warmUpChange: what the warm-up changes of a closed ticket', () => {
  const agent = '11111111-1111-1111-1111-111111111111';

  it('sets every field a bulk request sets: status, another priority, another assignee, one more tag', () => {
    expect(warmUpChange({ priority: 'P3', assignee_id: null, tags: ['vpn'] }, agent)).toEqual({ status: 'resolved', priority: 'P2', assigneeId: agent, tags: ['vpn', WARM_UP_TAG] });
    expect(warmUpChange({ priority: 'P2', assignee_id: null, tags: [] }, agent).priority).toBe('P3');
  });

  it('leaves the assignee out when there is no other agent', () => {
    expect(warmUpChange({ priority: 'P1', assignee_id: agent, tags: [] }, agent)).not.toHaveProperty('assigneeId');
    expect(warmUpChange({ priority: 'P1', assignee_id: null, tags: [] }, null)).not.toHaveProperty('assigneeId');
  });

  it('removes a tag from a ticket at the cap rather than passing it', () => {
    const full = Array.from({ length: MAX_TAGS_PER_TICKET }, (_, i) => `t${i}`);
    expect(warmUpChange({ priority: 'P1', assignee_id: null, tags: full }, null).tags).toEqual(full.slice(0, -1));
  });
});

describe('warmBulkSession: a new session run through a bulk ticket change, rolled back', () => {
  const closed = { id: 'c1000000-0000-0000-0000-000000000001', status: 'closed', priority: 'P3', assignee_id: null, tags: [], category: 'technical' } as unknown as TicketRow;
  const agentId = 'a1000000-0000-0000-0000-000000000001';

  /** A runner that logs its SQL, finds `ticket` (or none) and an agent, and fails a statement containing `fail`. */
  const fakes = (options: { ticket?: TicketRow; fail?: string; refuseAgent?: boolean } = {}) => {
    const sql: string[] = [];
    const calls: string[] = [];
    const runner = {
      manager: {},
      query: async (text: string) => {
        sql.push(text.replace(/\s+/g, ' ').trim());
        if (options.fail && text.includes(options.fail)) throw new Error('canceling statement due to lock timeout');
        if (text.includes('FROM tickets')) return options.ticket ? [{ id: options.ticket.id }] : [];
        if (text.includes('FROM agents')) return [{ id: agentId }];
        return [];
      },
    } as unknown as QueryRunner;
    const services: BulkWarmUpServices = {
      tickets: {
        lockedRow: async (_m: EntityManager, id: string, prepare?: boolean) => {
          calls.push(`lock ${id}${prepare ? ' prepared' : ''}`);
          if (!options.ticket || id !== options.ticket.id) throw DomainError.notFound('Ticket', id);
          return options.ticket;
        },
        apply: async (_m: EntityManager, before: TicketRow, patch: TicketChangePatch, actor: Actor, _at?: Date, prepare?: boolean) => {
          calls.push(`apply ${before.id} ${JSON.stringify(patch)} by ${actor.kind}${prepare ? ' prepared' : ''}`);
          return before;
        },
      },
      agents: {
        assertAssignable: async (_m: EntityManager, id: string, category: string | null) => {
          calls.push(`assignable ${id} ${category}`);
          if (options.refuseAgent) throw new DomainError(DomainErrorCode.Conflict, 'may not work it');
        },
      },
    };
    return { runner, services, sql, calls };
  };

  it('changes the oldest closed ticket nobody holds through TicketsService (its statements prepared, as a bulk change’s), fires the deferred trigger and rolls back', async () => {
    const { runner, services, sql, calls } = fakes({ ticket: closed });
    expect(await warmBulkSession(runner, services)).toBe(true);
    expect(sql[0]).toBe(BULK_TICKET_BEGIN);
    expect(sql[1]).toMatch(/lock_timeout = '\d+ms'.*statement_timeout/);
    expect(sql[2]).toMatch(/WHERE status = 'closed' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED$/);
    expect(calls).toEqual([
      `lock ${closed.id} prepared`,
      `assignable ${agentId} technical`,
      `apply ${closed.id} ${JSON.stringify({ status: 'resolved', priority: 'P2', assigneeId: agentId, tags: [WARM_UP_TAG] })} by system prepared`,
    ]);
    expect(sql[sql.length - 2]).toBe('SET CONSTRAINTS tickets_agent_open_update IMMEDIATE');
    expect(sql[sql.length - 1]).toBe('ROLLBACK');
    expect(sql.flatMap((text) => text.split(';')).some((statement) => /^\s*(COMMIT|END)\b/i.test(statement))).toBe(false);
  });

  it('writes all the same when the agent may not work the ticket (the check ran, as in a bulk change)', async () => {
    const { runner, services, calls, sql } = fakes({ ticket: closed, refuseAgent: true });
    expect(await warmBulkSession(runner, services)).toBe(true);
    expect(calls[2]).toMatch(/^apply /);
    expect(sql[sql.length - 1]).toBe('ROLLBACK');
  });

  it('on a database without a closed ticket changes nothing: the lock and the agent check find no row', async () => {
    const { runner, services, sql, calls } = fakes();
    expect(await warmBulkSession(runner, services)).toBe(false);
    expect(calls).toEqual(['lock 00000000-0000-0000-0000-000000000000 prepared', 'assignable 00000000-0000-0000-0000-000000000000 null']);
    expect(sql[sql.length - 1]).toBe('ROLLBACK');
  });

  it('rolls back when a statement fails, and fails', async () => {
    const { runner, services, sql, calls } = fakes({ ticket: closed, fail: 'SKIP LOCKED' });
    await expect(warmBulkSession(runner, services)).rejects.toThrow('lock timeout');
    expect(calls).toEqual([]);
    expect(sql[sql.length - 1]).toBe('ROLLBACK');
  });

  it('takes no refusal but the rules’: a database error in the agent check fails it', async () => {
    const { runner, services, sql } = fakes({ ticket: closed });
    services.agents.assertAssignable = async () => {
      throw new Error('connection lost');
    };
    await expect(warmBulkSession(runner, services)).rejects.toThrow('connection lost');
    expect(sql[sql.length - 1]).toBe('ROLLBACK');
  });
});

describe('TicketBulkService.keepConnectionsReady', () => {
  /** A DataSource whose connections cannot be had `failures` times, then can. */
  const dataSource = (failures: number, answer: (sql: string) => unknown[] = () => []) => {
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
          query: async (sql: string) => answer(sql),
        }),
      } as unknown as DataSource,
    };
  };
  const closed = { id: 'c1000000-0000-0000-0000-000000000001', status: 'closed', priority: 'P3', assignee_id: null, tags: [], category: null } as unknown as TicketRow;
  const tickets = {
    lockedRow: async (_m: EntityManager, id: string) => {
      if (id !== closed.id) throw DomainError.notFound('Ticket', id);
      return closed;
    },
    apply: async () => closed,
  } as unknown as TicketsService;
  const service = (ds: DataSource) =>
    new TicketBulkService(ds, tickets, { assertAssignable: async () => undefined } as unknown as AgentsService, { DATABASE_POOL_SIZE: 20 } as AppConfig);

  it('keeps the bulk’s changes in flight and its claim, once', async () => {
    const { ds, pool } = dataSource(0);
    const bulk = service(ds);
    const first = bulk.keepConnectionsReady();
    expect(bulk.keepConnectionsReady()).toBe(first);
    expect(await first).toEqual({ connections: bulkConcurrency(20) + 1, rowChanges: 0 });
    expect(pool.options.min).toBe(9);
  });

  it('tries again after a failure rather than keeping it', async () => {
    const { ds, pool } = dataSource(1);
    const bulk = service(ds);
    await expect(bulk.keepConnectionsReady()).rejects.toThrow('ECONNREFUSED');
    expect((await bulk.keepConnectionsReady()).connections).toBe(9);
    expect(pool.options.min).toBe(9);
  });

  it('changes (and rolls back) a closed ticket on every kept session', async () => {
    const { ds } = dataSource(0, (sql) => (sql.includes('FROM tickets') ? [{ id: closed.id }] : []));
    expect(await service(ds).keepConnectionsReady()).toEqual({ connections: 9, rowChanges: 9 });
  });

  it('keeps a session whose ticket change failed, and counts only those that changed one', async () => {
    let timedOut = 0;
    const { ds, pool } = dataSource(0, (sql) => {
      if (sql.includes('SKIP LOCKED') && timedOut++ < 2) throw new Error('canceling statement due to lock timeout');
      return sql.includes('FROM tickets') ? [{ id: closed.id }] : [];
    });
    expect(await service(ds).keepConnectionsReady()).toEqual({ connections: 9, rowChanges: 7 });
    expect(pool.options.min).toBe(9);
  });
});
