import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import type { CustomerPrincipal, Principal, StaffPrincipal } from '../principal';
import type { StaffRole } from '../roles';
import { hashToken, TokenService } from '../token.service';
import { pageSessionFor } from './page-session';

/** The web console's session cookie (HttpOnly, SameSite=Strict; Secure over HTTPS). */
export const SESSION_COOKIE = 'helpdesk_session';
/**
 * The cookie goes to the whole origin: the API's routes, and the console's page, which the api renders
 * for the signed-in person (the inbox's first screen, apps/api/src/console/server-render.ts).
 */
export const SESSION_COOKIE_PATH = '/';
/** Where the cookie went before (the API's routes only): cleared with it, so an old one never shadows a new one on /api. */
export const OLD_SESSION_COOKIE_PATH = '/api';
/** The header a cookie-authenticated write must carry: the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * A session's CSRF token, derived from its id: only whoever holds the cookie's value (the server;
 * the cookie is HttpOnly) computes it, and another site can neither read the cookie nor the answer
 * that hands the token to the console, so it cannot put it on a forged request. Nothing more is stored.
 */
export const csrfTokenOf = (sessionId: string): string => createHmac('sha256', sessionId).update('helpdesk-console-csrf').digest('base64url');

/** Whether `presented` is the session's CSRF token (compared in constant time). */
export function csrfTokenMatches(sessionId: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenOf(sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Methods that change nothing: a cookie-authenticated request needs no CSRF token for them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 403 for a write that the session cookie authenticated without the session's CSRF token. */
export function refuseWriteWithoutCsrf(request: { method: string; headers: Record<string, string | string[] | undefined> }, sessionId: string): void {
  const csrf = request.headers[CSRF_HEADER];
  if (!SAFE_METHODS.has(request.method) && !csrfTokenMatches(sessionId, typeof csrf === 'string' ? csrf : undefined)) {
    throw new ForbiddenException(`A write with the session cookie needs the session's CSRF token in the ${CSRF_HEADER} header`);
  }
}

/** Who is signed in, and (with a session cookie) until when and the CSRF token its writes carry. */
export interface SessionView {
  agentId: string;
  name: string;
  roles: StaffRole[];
  expiresAt: string | null;
  csrfToken: string | null;
}

export interface StartedSession {
  /** The cookie's value; sent only in the Set-Cookie header, only its hash is stored. */
  id: string;
  expiresAt: Date;
  view: SessionView;
}

export interface ResolvedSession {
  principal: Principal;
  expiresAt: Date;
}

/** The console session a request's cookie authenticated, kept on the request (the edge and the guard both ask; one lookup). */
export interface RequestSession extends ResolvedSession {
  id: string;
}

/** Tells the browser to forget a session cookie that will never work again (at either path it may have). */
export const ENDED_SESSION_COOKIES = [SESSION_COOKIE_PATH, OLD_SESSION_COOKIE_PATH].map(
  (path) => `${SESSION_COOKIE}=; Path=${path}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`,
);

/** 401 for a session cookie that is unknown, expired, signed out, or whose token was revoked. */
export class SessionEndedException extends UnauthorizedException {
  constructor() {
    super('The session has ended (expired, signed out or its token revoked): sign in again');
  }
}

/** What ends sessions at once: a token revoked, or every token of an agent deactivated. */
export type SessionScope = { tokenId: string } | { agentId: string };

/**
 * The web console's sign-in: a staff token is exchanged once for a session (a random id in an
 * HttpOnly cookie; its SHA-256 in console_sessions) that expires after SESSION_TTL_MINUTES. Every
 * request with the cookie resolves the session's token as it stands now (no cache), so a revoked
 * token or a deactivated agent ends it at the very next request in every api process; the
 * revocation and the deactivation also delete its rows in their transactions (`endIn`), so a
 * reactivated agent signs in again rather than finding old sessions alive.
 */
@Injectable()
export class ConsoleSessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  /** A new console session for a staff token: 401 for no valid token, 403 for a customer's (the console is for staff). */
  async start(token: string): Promise<StartedSession> {
    const principal = (await this.principalFor(token, 'staff')) as StaffPrincipal;
    const started = await this.insert({ tokenId: principal.tokenId });
    return { ...started, view: await this.view(principal, started) };
  }

  /** A new portal session for a customer token: 401 for no valid token, 403 for a staff one (the portal is for customers). */
  async startForCustomerToken(token: string): Promise<{ id: string; expiresAt: Date; principal: CustomerPrincipal }> {
    const principal = (await this.principalFor(token, 'customer')) as CustomerPrincipal;
    return { ...(await this.insert({ tokenId: principal.tokenId })), principal };
  }

  private async principalFor(token: string, audience: Principal['kind']): Promise<Principal> {
    const principal = await this.tokens.resolve(token);
    if (!principal) throw new UnauthorizedException('The token is invalid or revoked');
    if (principal.kind !== audience) {
      const message = audience === 'staff' ? 'The console is for staff: a customer token cannot sign in' : 'The portal is for customers: a staff token cannot sign in';
      throw new DomainError(DomainErrorCode.Forbidden, message, { errors: [{ field: 'token', message: `is a ${principal.kind} token` }] });
    }
    return principal;
  }

  /** A portal session for a customer contact who proved its address (a mailed sign-in link): no token involved. */
  async startForContact(customerId: string, contactId: string): Promise<{ id: string; expiresAt: Date }> {
    return this.insert({ customerId, contactId });
  }

  private async insert(holder: { tokenId: string } | { customerId: string; contactId: string }): Promise<{ id: string; expiresAt: Date }> {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_MINUTES * 60_000);
    await this.dataSource.transaction(async (manager) => {
      // Sign-ins are rare: each clears the expired sessions away (an index on expires_at).
      await manager.query(`DELETE FROM console_sessions WHERE expires_at <= now()`);
      await manager.query(`INSERT INTO console_sessions (id_hash, token_id, customer_id, contact_id, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
        hashToken(id),
        'tokenId' in holder ? holder.tokenId : null,
        'customerId' in holder ? holder.customerId : null,
        'contactId' in holder ? holder.contactId : null,
        expiresAt,
      ]);
    });
    return { id, expiresAt };
  }

  /** A customer session's expiry and CSRF token (the portal adds who the customer is). */
  customerSession(session: { id: string; expiresAt: Date } | undefined): { expiresAt: string | null; csrfToken: string | null } {
    return { expiresAt: session ? session.expiresAt.toISOString() : null, csrfToken: session ? csrfTokenOf(session.id) : null };
  }

  /** Who the caller is; the session's expiry and CSRF token when a session cookie authenticated the request. */
  async view(principal: StaffPrincipal, session?: { id: string; expiresAt: Date }): Promise<SessionView> {
    const [agent]: Array<{ name: string; roles: StaffRole[] }> = await this.dataSource.query(`SELECT name, roles FROM agents WHERE id = $1`, [principal.agentId]);
    return {
      agentId: principal.agentId,
      name: agent?.name ?? '',
      roles: principal.roles,
      expiresAt: session ? session.expiresAt.toISOString() : null,
      csrfToken: session ? csrfTokenOf(session.id) : null,
    };
  }

  /** The session's principal now, or null: unknown, expired, signed out, its token revoked or its agent deactivated. */
  async resolve(sessionId: string): Promise<ResolvedSession | null> {
    const [row]: Array<{ token_id: string | null; customer_id: string | null; contact_id: string | null; expires_at: Date }> = await this.dataSource.query(
      `SELECT token_id, customer_id, contact_id, expires_at FROM console_sessions WHERE id_hash = $1 AND expires_at > now()`,
      [hashToken(sessionId)],
    );
    if (!row) return null;
    // A contact's session lives as long as the contact does (its row goes with the contact's).
    if (row.token_id === null) {
      const principal: Principal = { kind: 'customer', customerId: row.customer_id!, contactId: row.contact_id!, tokenId: `contact:${row.contact_id}` };
      return { principal, expiresAt: new Date(row.expires_at) };
    }
    const principal = await this.tokens.current(row.token_id);
    return principal ? { principal, expiresAt: new Date(row.expires_at) } : null;
  }

  /**
   * The session of a request's cookie, resolved once per request and kept on it; null when it has ended.
   * A request a rendered page makes in-process takes the session the page resolved (page-session.ts).
   */
  async resolveFor(request: { consoleSession?: RequestSession }, sessionId: string): Promise<RequestSession | null> {
    if (request.consoleSession?.id === sessionId) return request.consoleSession;
    // An API request a rendered page makes in-process with the page's own cookie: the page resolved that session already.
    const lent = pageSessionFor(sessionId);
    if (lent) {
      request.consoleSession = lent;
      return lent;
    }
    const resolved = await this.resolve(sessionId);
    if (!resolved) return null;
    request.consoleSession = { id: sessionId, ...resolved };
    return request.consoleSession;
  }

  /**
   * Signs the session out (nothing happens for one that is gone already), and tells every api
   * process that its token's rights are to be read again: a live stream opened from the session
   * hears it and checks whether its session still stands (`isLive`).
   */
  async end(sessionId: string): Promise<void> {
    const [rows]: [Array<{ token_id: string }>, number] = await this.dataSource.query(`DELETE FROM console_sessions WHERE id_hash = $1 RETURNING token_id`, [hashToken(sessionId)]);
    const tokenIds = rows.map((row) => row.token_id);
    if (tokenIds.length > 0) await this.tokens.invalidate({ tokenIds });
  }

  /** The SHA-256 a session is stored under; what a stream ticket issued on the session remembers (never the id). */
  hashOf(sessionId: string): string {
    return hashToken(sessionId);
  }

  /** Whether the session stored under `idHash` is still signed in and unexpired. */
  async isLive(idHash: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM console_sessions WHERE id_hash = $1 AND expires_at > now()`, [idHash]);
    return rows.length > 0;
  }

  /** Ends the sessions of a token or of all an agent's tokens, inside the revocation's or deactivation's transaction. */
  async endIn(manager: EntityManager, scope: SessionScope): Promise<void> {
    if ('tokenId' in scope) await manager.query(`DELETE FROM console_sessions WHERE token_id = $1`, [scope.tokenId]);
    else await manager.query(`DELETE FROM console_sessions WHERE token_id IN (SELECT id FROM api_tokens WHERE agent_id = $1)`, [scope.agentId]);
  }
}
