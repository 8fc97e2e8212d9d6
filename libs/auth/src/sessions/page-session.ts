import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestSession } from './console-sessions.service';

/** A session a page's own request resolved, lent to the API requests the page makes in-process while it lasts. */
interface LentSession {
  session: RequestSession;
  open: boolean;
}

/**
 * Only the api's own code can put a session here (`withPageSession`): it lives in the async context of
 * the page's in-process requests (Fastify's `inject`), never in a request's headers, cookies or body,
 * so nothing a client sends can reach it.
 */
const lent = new AsyncLocalStorage<LentSession>();

/**
 * Runs `ask` (the page's in-process API requests: apps/api/src/console/server-render.ts) with the
 * session the page's request resolved: each of those requests whose cookie is that very session takes
 * it as resolved instead of looking it up again (ConsoleSessionsService.resolveFor). Lent only until
 * `ask` settles: anything started inside it that outlives it (a pool's socket, a timer) finds it closed.
 */
export async function withPageSession<T>(session: RequestSession, ask: () => Promise<T>): Promise<T> {
  const lending: LentSession = { session, open: true };
  try {
    return await lent.run(lending, ask);
  } finally {
    lending.open = false;
  }
}

/** The session lent to this request by its page, if it is the one its cookie names (`sessionId`) and the page is still asking. */
export function pageSessionFor(sessionId: string): RequestSession | undefined {
  const lending = lent.getStore();
  return lending?.open && lending.session.id === sessionId ? lending.session : undefined;
}
