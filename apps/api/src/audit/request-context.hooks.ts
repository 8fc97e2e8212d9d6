import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AsyncResource } from 'node:async_hooks';
import { AuditActor, runInRequestContext } from '@helpdesk/audit';
import { actorOf, SYSTEM_ACTOR } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';

const SCOPE = Symbol('helpdesk:request-context');

type ContextRequest = FastifyRequest & { principal?: Principal; [SCOPE]?: AsyncResource };

/**
 * Runs every request inside its context (request id, and the caller once the AuthGuard has found
 * them), so the audit entries the services write name both. Entered when the request arrives and
 * entered again just before the handler: reading the body runs on the socket's own events, which
 * do not carry the context across. (A Nest interceptor would do it more simply, but any global
 * interceptor turns an SSE route's 401/403 into a 200 stream with an error event.)
 */
@Injectable()
export class RequestContextHooks implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request: ContextRequest, _reply, done) => {
      const context = {
        requestId: String(request.id),
        get actor(): AuditActor {
          return request.principal ? actorOf(request.principal) : SYSTEM_ACTOR;
        },
      };
      runInRequestContext(context, () => {
        request[SCOPE] = new AsyncResource('helpdesk:request');
        done();
      });
    });
    fastify.addHook('preHandler', (request: ContextRequest, _reply, done) => {
      const scope = request[SCOPE];
      if (scope) scope.runInAsyncScope(done);
      else done();
    });
  }
}
