import { ExecutionContext, Injectable, Optional, Type, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { ConsoleSessionsService, ENDED_SESSION_COOKIES, refuseWriteWithoutCsrf, SESSION_COOKIE, SessionEndedException, TokenService } from '@helpdesk/auth';
import type { AuthenticatedRequest, Principal } from '@helpdesk/auth';
import { ProblemDetailsFilter, unavailableDependency } from '@helpdesk/http';
import { DependencyOutages } from './dependency-outages';
import { EdgeRequest, EdgeThrottlerGuard, RateLimitedException } from './rate-limits';
import { RouteAccess, routeAccessOf } from './route-access';

type HttpArgumentsHost = ReturnType<ExecutionContext['switchToHttp']>;

/** Blocked trackers remembered in this process, so that a flood costs no Redis round trip; bounded. */
const MAX_REMEMBERED_BLOCKS = 100_000;

/** Stands in for the controller of requests Nest does not route (docs, queue board, 404). */
class UnroutedRequests {
  request(): void {}
}
const UNROUTED: Pick<RouteAccess, 'controller' | 'handler'> = { controller: UnroutedRequests, handler: UnroutedRequests.prototype.request };

/** The ExecutionContext @nestjs/throttler's guard reads: the route's controller and handler, Fastify's request and reply. */
class HookContext implements ExecutionContext {
  constructor(
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
    private readonly route: Pick<RouteAccess, 'controller' | 'handler'>,
  ) {}

  getClass<T>(): Type<T> {
    return this.route.controller as Type<T>;
  }
  getHandler(): (...args: unknown[]) => unknown {
    return this.route.handler;
  }
  getArgs<T extends unknown[]>(): T {
    return [this.request, this.reply] as unknown as T;
  }
  getArgByIndex<T>(index: number): T {
    return this.getArgs()[index] as T;
  }
  getType<T extends string>(): T {
    return 'http' as T;
  }
  switchToHttp(): HttpArgumentsHost {
    return { getRequest: <T>() => this.request as T, getResponse: <T>() => this.reply as T, getNext: <T>() => undefined as T };
  }
  switchToRpc(): never {
    throw new Error('HookContext is HTTP only');
  }
  switchToWs(): never {
    throw new Error('HookContext is HTTP only');
  }
}

/** The bearer token of an Authorization header, as the AuthGuard reads it; null without one. */
export function bearerToken(authorization: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;
}

/**
 * The first thing every request meets, in a Fastify `onRequest` hook — before its body is read:
 * 1. for a route that needs a token (every Nest route not marked @Public()), the token is resolved
 *    with the AuthGuard's TokenService and the principal kept on the request with its token (the
 *    guard takes it from there, without resolving the token again, and still decides the roles); without an Authorization header, the web console's
 *    session cookie is resolved instead (kept on the request for the guard), and a write with it
 *    must carry the session's CSRF token; a missing or unknown token or session is a 401 here, so a
 *    1 MiB body from a stranger is never read;
 * 2. the request is counted against its rate limit (rate-limits.ts): its token's, or its client
 *    address's when it has no valid token — failed logins included; a session counts as its token. An address over its budget is
 *    refused before its token is even looked up, so a flood of made-up tokens costs no query.
 * A rate limit that cannot be counted (Redis unreachable) lets the request through.
 */
@Injectable()
export class EdgeGate {
  private readonly blockedUntil = new Map<string, number>();
  private readonly problems: ProblemDetailsFilter;

  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: ConsoleSessionsService,
    private readonly limits: EdgeThrottlerGuard,
    @Optional() private readonly outages?: DependencyOutages,
  ) {
    this.problems = new ProblemDetailsFilter(outages);
  }

  readonly hook: onRequestAsyncHookHandler = async (request, reply) => {
    try {
      await this.admit(request as EdgeRequest & AuthenticatedRequest, reply);
    } catch (error) {
      if (error instanceof RateLimitedException) {
        this.remember(error);
        void reply.header('Retry-After', String(error.retryAfterSeconds));
      }
      this.problems.answer(error, request, reply);
      // An async hook that answered returns the reply, so that Fastify runs nothing after it.
      return reply;
    }
  };

  private async admit(request: EdgeRequest & AuthenticatedRequest, reply: FastifyReply): Promise<void> {
    const access = routeAccessOf(request);
    const needsToken = access !== undefined && !access.public;
    const token = needsToken ? bearerToken(request.headers.authorization) : null;
    // As the AuthGuard: the cookie counts only when no Authorization header is sent.
    const sessionId = needsToken && request.headers.authorization === undefined ? request.cookies?.[SESSION_COOKIE] : undefined;
    if (token || sessionId) {
      this.refuseIfBlocked(`ip:${request.ip}`);
      const principal = token ? await this.tokens.resolve(token) : sessionId ? await this.sessionPrincipal(request, sessionId) : null;
      if (principal) {
        request.principal = principal;
        if (token) request.principalFromBearer = token;
        this.refuseIfBlocked(`token:${principal.tokenId}`);
      }
    }
    await this.count(request, reply, access ?? UNROUTED);
    if (needsToken && !request.principal) {
      if (sessionId) {
        void reply.header('Set-Cookie', ENDED_SESSION_COOKIES);
        throw new SessionEndedException();
      }
      void reply.header('WWW-Authenticate', token ? 'Bearer error="invalid_token"' : 'Bearer');
      throw new UnauthorizedException(token ? 'The bearer token is invalid or revoked' : 'A bearer token is required: Authorization: Bearer <token>');
    }
    if (sessionId) refuseWriteWithoutCsrf(request, sessionId);
  }

  private async sessionPrincipal(request: AuthenticatedRequest, sessionId: string): Promise<Principal | undefined> {
    return (await this.sessions.resolveFor(request, sessionId))?.principal;
  }

  private async count(request: FastifyRequest, reply: FastifyReply, route: Pick<RouteAccess, 'controller' | 'handler'>): Promise<void> {
    try {
      await this.limits.canActivate(new HookContext(request, reply, route));
    } catch (error) {
      const dependency = unavailableDependency(error);
      if (!dependency) throw error;
      this.outages?.report(dependency, error);
    }
  }

  /** A tracker this process saw blocked is refused without asking Redis until its block ends. */
  private refuseIfBlocked(tracker: string): void {
    const until = this.blockedUntil.get(tracker);
    if (until === undefined) return;
    const left = until - Date.now();
    if (left > 0) throw new RateLimitedException(Math.ceil(left / 1000), tracker);
    this.blockedUntil.delete(tracker);
  }

  private remember(error: RateLimitedException): void {
    if (this.blockedUntil.size >= MAX_REMEMBERED_BLOCKS) this.blockedUntil.clear();
    this.blockedUntil.set(error.tracker, Date.now() + error.retryAfterSeconds * 1000);
  }
}
