import { ForbiddenException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { DependencyUnavailableError } from './database-errors';
import { DomainError, DomainErrorCode } from './domain-error';
import { FieldErrorCode } from './problem';
import { toProblem } from './problem-details.filter';
import { RequestValidationException } from './validation';

describe('toProblem', () => {
  it('maps validation failures to 400 with field errors', () => {
    const p = toProblem(new RequestValidationException([{ field: 'subject', message: 'subject must be a string' }]), '/x');
    expect(p).toEqual({
      type: 'urn:helpdesk:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'subject: subject must be a string',
      instance: '/x',
      errors: [{ field: 'subject', message: 'subject must be a string', code: 'invalid', params: {} }],
    });
    const coded = toProblem(new RequestValidationException([{ field: 'name', message: 'too long', code: 'isLength', params: { min: 1, max: 200 } }]));
    expect(coded.errors).toEqual([{ field: 'name', message: 'too long', code: 'isLength', params: { min: 1, max: 200 } }]);
  });

  it('gives every field error of a domain error a code: its own, or invalid', () => {
    expect(toProblem(DomainError.invalid('to', 'must be after from')).errors).toEqual([{ field: 'to', message: 'must be after from', code: 'invalid', params: {} }]);
    expect(toProblem(DomainError.invalid('supportPlanId', 'no support plan has the id x', FieldErrorCode.UnknownId)).errors).toEqual([
      { field: 'supportPlanId', message: 'no support plan has the id x', code: 'unknownId', params: {} },
    ]);
    const taken = toProblem(new DomainError(DomainErrorCode.Conflict, 'Taken', { errors: [{ field: 'email', message: 'is already used', code: FieldErrorCode.Taken }], other: 1 }));
    expect(taken).toMatchObject({ status: 409, other: 1, errors: [{ field: 'email', message: 'is already used', code: 'taken', params: {} }] });
    // A domain error without field errors gets none.
    expect(toProblem(new DomainError(DomainErrorCode.Conflict, 'no fields'))).not.toHaveProperty('errors');
  });

  it.each([
    [DomainErrorCode.NotFound, 404],
    [DomainErrorCode.Conflict, 409],
    [DomainErrorCode.InvalidTransition, 409],
    [DomainErrorCode.Unprocessable, 422],
    [DomainErrorCode.IdempotencyMismatch, 422],
    [DomainErrorCode.Forbidden, 403],
    [DomainErrorCode.Invalid, 400],
  ])('maps domain error %s to %i', (code, status) => {
    const p = toProblem(new DomainError(code, 'because', { from: 'a' }));
    expect(p.status).toBe(status);
    expect(p.type).toBe(`urn:helpdesk:problem:${code}`);
    expect(p.detail).toBe('because');
    expect(p.from).toBe('a');
  });

  it('keeps the message of HTTP exceptions', () => {
    expect(toProblem(new ForbiddenException('no way'))).toMatchObject({ status: 403, title: 'Forbidden', detail: 'no way' });
    expect(toProblem(new NotFoundException())).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('names the failing health checks', () => {
    const p = toProblem(new ServiceUnavailableException({ status: 'error', details: { postgres: { status: 'up' }, redis: { status: 'down' } } }));
    expect(p).toMatchObject({ status: 503, detail: 'Not ready: redis is down', checks: { redis: { status: 'down' } } });
  });

  it('maps what Fastify throws while reading the body, also wrapped by the Nest adapter', () => {
    const malformed = Object.assign(new Error("Body is not valid JSON but content-type is set to 'application/json'"), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
    const tooLarge = Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    const mediaType = Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 });
    for (const [error, status, type] of [[malformed, 400, 'malformed-json'], [tooLarge, 413, 'payload-too-large'], [mediaType, 415, 'unsupported-media-type']] as const) {
      expect(toProblem(error, '/x')).toMatchObject({ status, type: `urn:helpdesk:problem:${type}`, instance: '/x' });
      expect(toProblem(new HttpException(error.message, status, { cause: error }))).toMatchObject({ status, type: `urn:helpdesk:problem:${type}` });
    }
  });

  it('hides everything about unexpected errors', () => {
    const error = new Error('duplicate key value violates unique constraint "x" SELECT * FROM secrets');
    const p = toProblem(error);
    expect(p).toEqual({ type: 'urn:helpdesk:problem:internal', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred; it has been logged', instance: undefined });
    expect(JSON.stringify(p)).not.toContain('SELECT');
  });

  it('answers a value PostgreSQL refused (SQLSTATE class 22 or 54) with a 400 naming the reason, not the statement', () => {
    const driverError = Object.assign(new Error('invalid input syntax for type integer: "abc"'), { code: '22P02', severity: 'ERROR' });
    const wrapped = Object.assign(new Error('invalid input syntax for type integer: "abc"'), { name: 'QueryFailedError', code: '22P02', query: 'INSERT INTO secrets', driverError });
    expect(toProblem(wrapped, '/x')).toMatchObject({ status: 400, type: 'urn:helpdesk:problem:invalid-value', detail: 'A value in the request cannot be stored: invalid input syntax for type integer: "abc"' });
    expect(JSON.stringify(toProblem(wrapped))).not.toContain('INSERT');
    expect(toProblem(Object.assign(new Error('index row size 9000 exceeds maximum'), { code: '54000' })).status).toBe(400);
    expect(toProblem(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' })).status).toBe(500);
  });

  it.each([
    ['a refused connection to PostgreSQL', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'PostgreSQL'],
    ['a server shut down under a query', { name: 'QueryFailedError', message: 'terminating connection due to administrator command', driverError: { code: '57P01' } }, 'PostgreSQL'],
    ['a server still starting', Object.assign(new Error('the database system is starting up'), { code: '57P03' }), 'PostgreSQL'],
    ['a lost connection', new Error('Connection terminated unexpectedly'), 'PostgreSQL'],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect'), 'PostgreSQL'],
    ['Redis without a connection', Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }), 'Redis'],
    ['Redis without an offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'Redis'],
    ['a Redis read that timed out', new DependencyUnavailableError('redis', 'Redis did not answer in 2000 ms'), 'Redis'],
    ['a Redis command past its commandTimeout', new Error('Command timed out'), 'Redis'],
  ])('answers %s with 503 naming the dependency', (_what, error, name) => {
    expect(toProblem(error, '/x')).toEqual({ type: 'urn:helpdesk:problem:unavailable', title: 'Service Unavailable', status: 503, detail: `${name} is unreachable at the moment; try again shortly`, instance: '/x' });
  });
});
