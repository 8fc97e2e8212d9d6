import 'reflect-metadata';
import { isDeepStrictEqual } from 'node:util';
import { ArgumentMetadata } from '@nestjs/common';
import * as classTransformer from 'class-transformer';
import Fastify from 'fastify';
import { createValidationPipe, RequestValidationException } from '@helpdesk/http';
import { PRIORITIES, TICKET_CATEGORIES, TICKET_SORTS, TICKET_STATUSES } from '@helpdesk/intake';
import { ListTicketsQueryDto, listTicketsQueryCheck } from './ticket.dto';

const QUERY: ArgumentMetadata = { type: 'query', metatype: ListTicketsQueryDto, data: '' };

/** Values for each parameter, good and bad, as a query string's parse gives them (strings, repeated → arrays). */
const VALUES: Record<string, unknown[]> = {
  queue: ['billing', 'vip', 'a', 'q'.repeat(100), 'q'.repeat(101), '', ' ', 'café', '🙂', 'x\uFE0F', ['billing', 'vip'], 'línea 2'],
  cursor: ['eyJzIjoiLW51bWJlciJ9.abc', 'c'.repeat(200), 'c'.repeat(201), '', ['a', 'b'], '🙂'.repeat(100)],
  limit: ['1', '50', '200', '201', '0', '050', '-1', '1.5', '1e2', ' 5', 'abc', '', '999', ['5', '6'], '20'],
  status: [...TICKET_STATUSES, 'bogus', '', ['triaged', 'escalated'], ['triaged', 'bogus'], [...TICKET_STATUSES, 'new'], ['new', 'new']],
  priority: [...PRIORITIES, 'p1', 'P9', ['P1', 'P2'], ['P1', 'x']],
  category: [...TICKET_CATEGORIES, 'BILLING', '', ['billing']],
  sort: [...TICKET_SORTS, 'number', '', ['-number']],
  // Parameters the check leaves to the pipe.
  q: ['outlook', '', ' '],
  customerId: ['00000000-0000-4000-8000-000000000000', 'nope'],
  tag: ['vip', ['a', 'b']],
  assigneeId: ['me', 'none', 'bad'],
  unknown: ['1'],
};

/** A pseudo-random query (a fixed seed: the same queries on every run). */
function queries(count: number): Array<Record<string, unknown>> {
  let seed = 16;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const keys = Object.keys(VALUES);
  const out: Array<Record<string, unknown>> = [{}];
  for (let i = 0; i < count; i++) {
    const query: Record<string, unknown> = {};
    // Mostly the list's common shapes (queue, status, limit, cursor), sometimes any parameter.
    const pool = random() < 0.7 ? ['queue', 'status', 'limit', 'cursor', 'sort', 'priority', 'category'] : keys;
    const n = 1 + Math.floor(random() * 4);
    for (let k = 0; k < n; k++) {
      const key = pool[Math.floor(random() * pool.length)];
      const values = VALUES[key];
      query[key] = values[Math.floor(random() * values.length)];
    }
    out.push(query);
  }
  return out;
}

async function outcome(pipe: ReturnType<typeof createValidationPipe>, query: Record<string, unknown>): Promise<{ dto?: unknown; errors?: unknown }> {
  try {
    return { dto: await pipe.transform(structuredClone(query), QUERY) };
  } catch (error) {
    if (!(error instanceof RequestValidationException)) throw error;
    return { errors: error.fieldErrors };
  }
}

describe("GET /tickets' query: the compiled check against the validation pipe", () => {
  const plain = createValidationPipe({ compiledChecks: false });
  const checked = createValidationPipe();
  const cases = queries(3000);

  it('answers only what the pipe accepts, with the same DTO, and leaves the rest to it', async () => {
    let compiled = 0;
    let refused = 0;
    for (const query of cases) {
      const expected = await outcome(plain, query);
      const dto = listTicketsQueryCheck(structuredClone(query));
      if (dto === null) {
        if (expected.errors) refused++;
        continue;
      }
      compiled++;
      // The same class and the same own properties with the same values (isDeepStrictEqual compares prototypes).
      if (!expected.dto || !isDeepStrictEqual(dto, expected.dto)) throw new Error(`the check answered ${JSON.stringify(dto)} for ${JSON.stringify(query)}; the pipe ${JSON.stringify(expected)}`);
      expect(dto).toBeInstanceOf(ListTicketsQueryDto);
    }
    // Both kinds are exercised: the common shapes compiled, the bad values refused.
    expect(compiled).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('gives the global pipe the same answers and the same field errors as the pipe alone', async () => {
    for (const query of cases.slice(0, 1500)) {
      const [a, b] = [await outcome(plain, query), await outcome(checked, query)];
      if (!isDeepStrictEqual(a, b)) throw new Error(`${JSON.stringify(query)}: the pipe ${JSON.stringify(a)}, the checked pipe ${JSON.stringify(b)}`);
    }
  });

  it("is what the global pipe uses for a query as Fastify parses it (no class-transformer), and not for a parameter it does not compile", async () => {
    const app = Fastify();
    const parsed: unknown[] = [];
    app.get('/tickets', async (request) => void parsed.push(request.query));
    for (const url of ['/tickets?queue=billing&limit=50&status=triaged&status=escalated', '/tickets?q=outlook']) await app.inject({ url });
    await app.close();
    const transform = jest.spyOn(classTransformer, 'plainToInstance');
    try {
      const dto = await checked.transform(parsed[0], QUERY);
      expect(dto).toEqual(Object.assign(new ListTicketsQueryDto(), { queue: 'billing', limit: 50, status: ['triaged', 'escalated'] }));
      expect(transform).not.toHaveBeenCalled();
      await checked.transform(parsed[1], QUERY);
      expect(transform).toHaveBeenCalledTimes(1);
    } finally {
      transform.mockRestore();
    }
  });

  it('converts as the pipe does: limit a number, a status or priority sent once a list', () => {
    const dto = listTicketsQueryCheck({ queue: 'billing', status: 'triaged', priority: ['P1', 'P2'], limit: '25', sort: 'due' });
    expect(dto).toEqual(Object.assign(new ListTicketsQueryDto(), { queue: 'billing', status: ['triaged'], priority: ['P1', 'P2'], limit: 25, sort: 'due' }));
  });

  it('leaves to the pipe a parameter it does not compile, an empty or too long queue, a bad limit and an unknown status', async () => {
    for (const query of [{ q: 'outlook' }, { queue: '' }, { queue: 'q'.repeat(101) }, { limit: '0' }, { limit: '201' }, { status: 'bogus' }, { whatever: '1' }]) {
      expect(listTicketsQueryCheck(query)).toBeNull();
    }
    await expect(checked.transform({ limit: '201' }, QUERY)).rejects.toMatchObject({ fieldErrors: [expect.objectContaining({ field: 'limit', code: 'max' })] });
    await expect(checked.transform({ whatever: '1' }, QUERY)).rejects.toMatchObject({ fieldErrors: [expect.objectContaining({ field: 'whatever' })] });
  });
});
