import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable, Logger, MessageEvent, OnModuleDestroy, Optional, UnauthorizedException } from '@nestjs/common';
import { catchError, defer, EMPTY, exhaustMap, filter, finalize, interval, map, merge, Observable, ReplaySubject, share, Subject, switchMap, take, takeUntil, timer } from 'rxjs';
import { ConsoleSessionsService, hasRole, invalidationConcerns, StaffRole, TokenService } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { OUTAGE_REPORTER, OutageReporter, unavailableDependency } from '@helpdesk/http';
import type { Principal, StaffPrincipal } from '@helpdesk/auth';
import { LIVE_STATS_SOURCE, LiveStatsSource } from './live-stats-source';
import { LiveEventBus } from './live-event-bus.service';
import { StreamTicket, StreamTicketService } from './stream-tickets.service';

/** Who may watch the queues live (global_admin always may). */
export const STREAM_ROLES: readonly StaffRole[] = [StaffRole.AdminAgent];
export const STATS_INTERVAL_MS = 2000;
export const HEARTBEAT_INTERVAL_MS = 15_000;
/**
 * An open stream's rights are read again whenever an invalidation concerns its token or agent (a
 * revocation, a deactivation, a role change: at once), and this often besides, in case an
 * invalidation was lost with Redis.
 */
export const STREAM_RECHECK_INTERVAL_MS = 60_000;

/**
 * Why a stream was ended: its token no longer works, its roles no longer allow the stream, or the
 * console session that asked for its stream ticket was signed out (or expired).
 */
export type StreamEndReason = 'revoked' | 'forbidden' | 'signed-out';

/** Who watches a stream: the principal, and the console session it was opened from (if any). */
export interface StreamWatcher {
  principal: StaffPrincipal;
  sessionHash?: string;
}

/** How long a caller at its stream limit is told to wait (Retry-After) before trying again. */
export const STREAM_LIMIT_RETRY_AFTER_SECONDS = 15;

/** A caller already holds SSE_STREAMS_PER_CALLER streams in this process: 429. */
export class TooManyStreamsException extends HttpException {
  constructor(limit: number) {
    super(`At most ${limit} live streams per caller may be open at once: close one first`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** How a stream request presented itself: a bearer header and/or a `?token=` stream ticket. */
export interface StreamCredentials {
  authorization?: string;
  ticket?: string;
}

/**
 * The live stream for managers: a `stats` event every 2 s, the live events (`ticket.created`,
 * `ticket.escalated`, `sla.breached`, `escalation.failed`) as they happen, and a `: ping` comment
 * every 15 s. Every stream of the process shares one stats poll and one Redis subscriber.
 */
@Injectable()
export class LiveStreamService implements OnModuleDestroy {
  private readonly logger = new Logger(LiveStreamService.name);
  private readonly closing = new Subject<void>();
  private readonly stats$: Observable<object>;
  /** Open streams per caller (staff member), so that one caller cannot hold every connection. */
  private readonly openByCaller = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    private readonly bus: LiveEventBus,
    private readonly tickets: StreamTicketService,
    private readonly tokens: TokenService,
    private readonly sessions: ConsoleSessionsService,
    @Optional() @Inject(LIVE_STATS_SOURCE) private readonly statsSource?: LiveStatsSource | null,
    @Optional() @Inject(OUTAGE_REPORTER) private readonly outages?: OutageReporter | null,
  ) {
    // One poll for all streams of this process; a stream that joins gets the latest snapshot at once.
    this.stats$ = timer(0, STATS_INTERVAL_MS).pipe(
      exhaustMap(() =>
        defer(async () => (this.statsSource ? await this.statsSource.snapshot() : { at: new Date().toISOString() })).pipe(
          catchError((error: unknown) => {
            // An outage is logged once by the API's outage log, not every 2 s here.
            const dependency = unavailableDependency(error);
            if (dependency && this.outages) this.outages.report(dependency, error);
            else this.logger.warn(`Live stream: stats snapshot failed: ${error instanceof Error ? error.message : String(error)}`);
            return EMPTY;
          }),
        ),
      ),
      share({ connector: () => new ReplaySubject<object>(1), resetOnRefCountZero: true }),
    );
  }

  /**
   * Bearer token first (as the AuthGuard does), else a stream ticket; 401/403 otherwise. A ticket
   * in the URL is spent whenever it is presented (even beside a bearer token), so one that ends up
   * in an access log can no longer open a stream. A ticket a console session asked for opens a
   * stream only while that session is signed in.
   */
  async authenticate(credentials: StreamCredentials): Promise<StreamWatcher> {
    const holder = credentials.ticket ? await this.tickets.redeem(credentials.ticket) : null;
    // The rights the ticket's token has now, not those it had when the ticket was issued.
    const current = holder ? await this.tokens.current(holder.tokenId) : null;
    const ticketHolder = current && current.kind === 'staff' && current.agentId === holder?.agentId ? current : null;
    const sessionHash = holder?.sessionHash;
    let principal: Principal | null;
    if (credentials.authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization);
      if (!match) throw new UnauthorizedException('A bearer token is required: Authorization: Bearer <token>');
      principal = await this.tokens.resolve(match[1]);
      if (!principal) throw new UnauthorizedException('The bearer token is invalid or revoked');
    } else if (credentials.ticket) {
      principal = ticketHolder;
      if (!principal) throw new UnauthorizedException('The stream token is invalid, expired or already used');
      if (sessionHash && !(await this.sessions.isLive(sessionHash))) throw new UnauthorizedException('The session that asked for this stream token has ended: sign in again');
    } else {
      throw new UnauthorizedException('A bearer token (Authorization: Bearer <token>) or a stream token (?token=) is required');
    }
    if (principal.kind !== 'staff') throw new ForbiddenException('Customer tokens may not use this operation');
    if (!hasRole(principal, STREAM_ROLES)) throw new ForbiddenException(`This operation needs one of the roles: ${[StaffRole.GlobalAdmin, ...STREAM_ROLES].join(', ')}`);
    // A bearer header decides alone: the stream is then the token's, not a session's.
    return credentials.authorization === undefined && sessionHash ? { principal, sessionHash } : { principal };
  }

  /** A single-use ticket for `GET /queues/stream?token=`, valid 60 s; bound to the console session that asked (by its id's hash), if one did. */
  issueTicket(principal: StaffPrincipal, sessionId?: string): Promise<StreamTicket> {
    return this.tickets.issue(principal, sessionId ? this.sessions.hashOf(sessionId) : undefined);
  }

  /**
   * The events of `principal`'s stream; subscribed to Redis before it returns, so nothing published
   * after is missed. It ends, with a last `stream.ended` event, once the principal's token is
   * revoked, their agent deactivated, their roles no longer allow it or the console session it was
   * opened from is signed out. A caller holding SSE_STREAMS_PER_CALLER streams already gets
   * TooManyStreamsException.
   */
  async open(watcher: StreamWatcher): Promise<Observable<MessageEvent>> {
    const { principal } = watcher;
    const held = this.openByCaller.get(principal.agentId) ?? 0;
    if (held >= this.config.SSE_STREAMS_PER_CALLER) throw new TooManyStreamsException(this.config.SSE_STREAMS_PER_CALLER);
    this.openByCaller.set(principal.agentId, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.openByCaller.get(principal.agentId) ?? 1) - 1;
      if (left > 0) this.openByCaller.set(principal.agentId, left);
      else this.openByCaller.delete(principal.agentId);
    };
    try {
      return (await this.events(watcher)).pipe(finalize(release));
    } catch (error) {
      release();
      throw error;
    }
  }

  private async events(watcher: StreamWatcher): Promise<Observable<MessageEvent>> {
    const listening = await this.bus.listen();
    if (!listening) this.logger.warn('Live stream: Redis has not confirmed the subscription yet; events will follow once it does');
    return defer(() => {
      let seq = 0;
      const withId = (event: MessageEvent): MessageEvent => ({ ...event, id: String(++seq) });
      const ended$ = this.accessEnded(watcher).pipe(share());
      return merge(
        merge(
          this.stats$.pipe(map((data) => withId({ type: 'stats', data }))),
          this.bus.events$.pipe(map((event) => withId({ type: event.type, data: { ...event.data, at: event.at } }))),
          interval(HEARTBEAT_INTERVAL_MS).pipe(map((): MessageEvent => ({ comment: 'ping' }))),
        ).pipe(takeUntil(ended$)),
        ended$.pipe(map((reason) => withId({ type: 'stream.ended', data: { reason, at: new Date().toISOString() } }))),
      ).pipe(takeUntil(this.closing));
    });
  }

  /**
   * Emits once (then completes) when the watcher may no longer watch: checked on every invalidation
   * that concerns them (a sign-out publishes one for the session's token).
   */
  private accessEnded({ principal, sessionHash }: StreamWatcher): Observable<StreamEndReason> {
    const check = async (): Promise<StreamEndReason | null> => {
      const current = await this.tokens.current(principal.tokenId);
      if (!current) return 'revoked';
      if (!hasRole(current, STREAM_ROLES)) return 'forbidden';
      return sessionHash && !(await this.sessions.isLive(sessionHash)) ? 'signed-out' : null;
    };
    return merge(this.tokens.invalidations$.pipe(filter((scope) => invalidationConcerns(scope, principal))), interval(STREAM_RECHECK_INTERVAL_MS)).pipe(
      // A newer check replaces one under way, which may have read the rights before the change committed.
      switchMap(() =>
        defer(check).pipe(
          catchError((error: unknown) => {
            this.logger.warn(`Live stream: could not check the rights of a stream: ${error instanceof Error ? error.message : String(error)}`);
            return EMPTY;
          }),
        ),
      ),
      filter((reason): reason is StreamEndReason => reason !== null),
      take(1),
    );
  }

  /** Ends every open stream when the app shuts down (before the HTTP server closes). */
  onModuleDestroy(): void {
    this.closing.next();
    this.closing.complete();
  }
}
