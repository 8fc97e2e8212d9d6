/**
 * The bare reference of `bench:intake` (issue #16): what filing a ticket costs with nothing of ours
 * around it. A minimal Fastify server, no Nest, with one route, `POST /api/v1/tickets`, that
 * validates the body with the API's own `CreateTicketDto` and the same class-validator options as
 * the API's validation pipe, and runs the same single statement the API runs (`INSERT_TICKET`: the
 * ticket, its `created` event and its triage outbox row) through a `pg` pool of the API's size. It
 * answers 201 with the stored row, 200 with nothing for a repeated `externalId`, 400 with the fields.
 *
 * What it leaves out on purpose, and the API does: token resolution (here a map from token to
 * principal, given in BARE_PRINCIPALS — the API's answer from its cache), idempotency keys, roles,
 * request logging, metrics, the presented view and the live event. So the ratio API ÷ reference is
 * the price of all of that.
 *
 * Run by bench:intake as a child process: BARE_PORT, DATABASE_URL, BARE_POOL_SIZE, BARE_PRINCIPALS
 * (JSON `{token: {kind: 'staff'|'customer', id}}`). Sends `{type: 'ready'}` over IPC when listening.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Pool } from 'pg';
import { flattenValidationErrors } from '@helpdesk/http';
import { INSERT_TICKET } from '@helpdesk/intake';
import { JOB_NAME, QueueName } from '@helpdesk/queue';
import { CreateTicketDto } from '../apps/api/src/intake/ticket.dto';

interface Principal {
  kind: 'staff' | 'customer';
  id: string;
}

const principals = new Map<string, Principal>(Object.entries(JSON.parse(process.env.BARE_PRINCIPALS ?? '{}') as Record<string, Principal>));
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BARE_POOL_SIZE ?? 20) });

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.post('/api/v1/tickets', async (request, reply) => {
  const principal = principals.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
  if (!principal) return reply.code(401).send({ title: 'Unauthorized' });
  const dto = plainToInstance(CreateTicketDto, request.body);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false });
  if (errors.length > 0) return reply.code(400).type('application/problem+json').send({ status: 400, errors: flattenValidationErrors(errors) });
  const customerId = principal.kind === 'customer' ? principal.id : dto.customerId;
  if (!customerId) return reply.code(400).type('application/problem+json').send({ status: 400, errors: [{ field: 'customerId', message: 'customerId is required for staff tokens' }] });
  const { rows } = await pool.query({
    ...INSERT_TICKET,
    values: [
      randomUUID(),
      customerId.toLowerCase(),
      dto.subject,
      dto.description,
      dto.category ?? null,
      dto.product ?? null,
      dto.severity ?? null,
      dto.severity ?? 'P3',
      dto.channel ?? (principal.kind === 'customer' ? 'portal' : 'api'),
      dto.requester.name,
      dto.requester.email.toLowerCase(),
      dto.externalId ?? null,
      principal.kind,
      principal.id,
      QueueName.Triage,
      JOB_NAME[QueueName.Triage],
    ],
  });
  return reply.code(rows.length > 0 ? 201 : 200).send(rows[0] ?? {});
});

app
  .listen({ port: Number(process.env.BARE_PORT ?? 0), host: '127.0.0.1' })
  .then(() => process.send?.({ type: 'ready' }))
  .catch((error: unknown) => {
    process.stderr.write(`bare reference: ${String(error)}\n`);
    process.exit(1);
  });

process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).finally(() => process.exit(0));
});
