import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServerResponse } from 'node:http';
import { problemInstance, problemType, sendProblem, titleFor } from '@helpdesk/http';

/** What a client hears while this process stops: send again in this many seconds (another process, or this one restarted, answers). */
export const STOPPING_RETRY_AFTER_S = 2;

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const DRAIN_POLL_MS = 20;

/**
 * How the API stops on SIGTERM/SIGINT, however busy its keep-alive clients are:
 *
 * 1. at once, every new request (readiness included) is answered 503 problem+json with
 *    `Retry-After` and `Connection: close`, and the requests already in flight answer with
 *    `Connection: close` too, so that clients leave for another process;
 * 2. once every request in flight has started its answer, the app closes (Nest's shutdown: open
 *    event streams are ended, the server waits for the last answers, the pools close) and the
 *    process exits with 0;
 * 3. if that takes longer than `timeoutMs` from the signal, the process exits with 1 anyway.
 *
 * Call before `listen` (the hooks must precede the routes). Replaces Nest's own signal handling,
 * which would close the modules while requests keep arriving and being served.
 */
export function stopGracefully(app: NestFastifyApplication, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  const fastify = app.getHttpAdapter().getInstance();
  const inFlight = new Set<ServerResponse>();
  let stopping = false;

  fastify.addHook('onRequest', (request, reply, done) => {
    if (stopping) {
      reply.header('Connection', 'close').header('Retry-After', String(STOPPING_RETRY_AFTER_S));
      sendProblem(reply, {
        type: problemType('stopping'),
        title: titleFor(503),
        status: 503,
        detail: `This API process is stopping; send the request again in ${STOPPING_RETRY_AFTER_S} s`,
        instance: problemInstance(request),
      });
      return;
    }
    const response = reply.raw;
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (stopping) reply.header('Connection', 'close');
    done(null, payload);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping; ${inFlight.size} request(s) in flight, new ones are answered 503`);
    setTimeout(() => {
      logger.error(`still stopping ${timeoutMs} ms after ${signal}: exiting with ${inFlight.size} request(s) unanswered`);
      process.exit(1);
    }, timeoutMs).unref();
    void drained(inFlight)
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
  };
  for (const signal of SIGNALS) process.on(signal, stop);
}

/** Resolves once every response in the set has started (an event stream's has; it is ended by the app's close). */
async function drained(inFlight: Set<ServerResponse>): Promise<void> {
  while ([...inFlight].some((response) => !response.headersSent)) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
}
