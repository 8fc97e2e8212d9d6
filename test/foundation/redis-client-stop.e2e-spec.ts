/**
 * A worker stops while Redis is away: an ioredis client waiting to reconnect ends when asked to
 * (libs/queue's ending-reconnecting-clients), so BullMQ's Worker.close() — which waits for its
 * blocking connection's 'end' — returns instead of hanging for good.
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from '@helpdesk/queue';
import { testStack } from '../support';

jest.setTimeout(30_000);

/** Settles with 'timed out' when `promise` has not settled within `ms`. */
const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<'timed out'>((done) => setTimeout(() => done('timed out'), ms).unref())]);

describe('stopping Redis clients that wait to reconnect', () => {
  const options = () => ({ ...redisOptionsFromUrl(testStack().redisUrl), maxRetriesPerRequest: null, retryStrategy: () => 60_000 });

  it('ends a client in `reconnecting` at once and rejects the command it was blocked on', async () => {
    const client = new Redis(options());
    await once(client, 'ready');
    const blocked = client.blpop(`stranded:${randomBytes(4).toString('hex')}`, 0).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    client.disconnect(true);
    await once(client, 'reconnecting');
    const ended = once(client, 'end');
    client.disconnect();
    expect(await within(ended, 2_000)).not.toBe('timed out');
    expect(client.status).toBe('end');
    expect(await within(blocked, 2_000)).toBe('Connection is closed.');
  });

  it('lets a BullMQ worker close while its blocking connection waits to reconnect', async () => {
    const worker = new Worker(`stranded-${randomBytes(4).toString('hex')}`, async () => undefined, { connection: options(), prefix: 'client-stop-test' });
    worker.on('error', () => undefined);
    await worker.waitUntilReady();
    // Let the worker block on its marker (BZPOPMIN), then drop that connection as a Redis restart would.
    await new Promise((done) => setTimeout(done, 300));
    const blocking = await (worker as unknown as { backend: { blockingConnection: { client: Promise<Redis> } } }).backend.blockingConnection.client;
    blocking.disconnect(true);
    await once(blocking, 'reconnecting');
    expect(await within(worker.close(), 10_000)).not.toBe('timed out');
  });
});
