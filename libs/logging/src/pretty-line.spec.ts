import { prettyLine } from './pretty-line';

const line = (log: Record<string, unknown>) => prettyLine(log, 'msg', '', { colors: {} as never });

describe('prettyLine', () => {
  it('shows a finished request as method, URL, status and time', () => {
    expect(line({ level: 30, msg: 'request completed', req: { method: 'POST', url: '/api/v1/tickets' }, res: { statusCode: 201 }, responseTime: 11.6, reqId: 'r1' })).toBe('POST /api/v1/tickets 201 12 ms');
  });

  it('names the request id of a warning or an error, the id a problem body carries', () => {
    expect(line({ level: 50, msg: 'request completed', req: { method: 'GET', url: '/x' }, res: { statusCode: 500 }, responseTime: 2, reqId: 'r2' })).toBe('GET /x 500 2 ms (request r2)');
    expect(line({ level: 50, msg: 'boom', context: 'ProblemDetails', reqId: 'r3' })).toBe('ProblemDetails: boom (request r3)');
  });

  it('prefixes the Nest context of other lines', () => {
    expect(line({ level: 30, msg: 'worker health on :3001/health/ready', context: 'WorkerHealth' })).toBe('WorkerHealth: worker health on :3001/health/ready');
    expect(line({ level: 30, msg: 'Server listening at http://127.0.0.1:3000' })).toBe('Server listening at http://127.0.0.1:3000');
  });
});
