import Redis from 'ioredis';

/**
 * ioredis ends a connection ('end', pending commands rejected) only when its socket closes. A
 * client waiting to reconnect (status `reconnecting`, after Redis went away or a watchdog dropped
 * it) has no socket: `disconnect()` clears its retry timer and then nothing ever happens, so
 * whoever awaits 'end' waits forever — BullMQ's `Worker.close()` does, for its blocking connection
 * (redis/ioredis#2169, taskforcesh/bullmq#4656, both open). A worker asked to stop while Redis was
 * down or just back never stopped. This ends such a client at once, as its socket closing would.
 */
interface ClientInternals {
  status: string;
  setStatus(status: string): void;
  flushQueue(error: Error): void;
  manuallyClosing: boolean;
  /** The commands in flight when the socket closed, kept to resend (a deque). */
  prevCommandQueue?: { length: number; shift(): { command: { reject: (error: Error) => void } } } | null;
}

const CLOSED = 'Connection is closed.';
const disconnect = Redis.prototype.disconnect;

Redis.prototype.disconnect = function (this: Redis, reconnect = false): void {
  const self = this as unknown as ClientInternals;
  const stranded = !reconnect && self.status === 'reconnecting';
  disconnect.call(this, reconnect);
  if (!stranded || self.status !== 'reconnecting') return;
  self.manuallyClosing = false;
  while (self.prevCommandQueue?.length) self.prevCommandQueue.shift().command.reject(new Error(CLOSED));
  self.prevCommandQueue = null;
  self.setStatus('end');
  self.flushQueue(new Error(CLOSED));
};
