import { AsyncLocalStorage } from 'node:async_hooks';

/** Who changed something, as the audit log and the ticket timelines record it. */
export interface AuditActor {
  kind: 'staff' | 'customer' | 'system';
  id: string | null;
}

/** What a change made while handling an HTTP request knows about that request. */
export interface RequestContext {
  requestId: string;
  actor: AuditActor;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `work` (and everything it awaits) with `context` as the current request: the api's
 * RequestContextInterceptor does this around every handler, so a service deep down records the
 * request id and the actor of an audit entry without every signature carrying them.
 */
export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The request being handled, or undefined outside one (start-up, the worker, a test calling a service). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
