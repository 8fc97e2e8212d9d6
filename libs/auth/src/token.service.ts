import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { Principal } from './principal';
import { StaffRole } from './roles';
import { TokenCache, TokenInvalidation } from './tokens/token-cache';
import { TokenInvalidationBus } from './tokens/token-invalidation.bus';
import { LAST_USED_RESOLUTION_MS, TokenUsage } from './tokens/token-usage';

/** Resolved principals are reused this long at most; revocations and role changes drop them at once. */
const CACHE_TTL_MS = 10_000;
/** "No such token" is reused this long: a flood of made-up tokens costs one query per token and period. */
const NEGATIVE_CACHE_TTL_MS = 3_000;
const CACHE_MAX = 10_000;
/** How TokenService caches resolved tokens (also the list bench's bare reference's cache). */
export const TOKEN_CACHE_LIMITS = { ttlMs: CACHE_TTL_MS, negativeTtlMs: NEGATIVE_CACHE_TTL_MS, max: CACHE_MAX };

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** 32 random bytes, url-safe; the prefix tells staff and customer tokens apart at a glance. */
export const generateToken = (kind: 'staff' | 'customer'): string =>
  `${kind === 'staff' ? 'hds' : 'hdc'}_${randomBytes(32).toString('base64url')}`;

/** What a token's list shows to tell it apart: its kind and first 8 random characters. */
export const tokenPrefix = (token: string): string => token.slice(0, 12);

export interface TokenRow {
  id: string;
  kind: 'staff' | 'customer';
  agent_id: string | null;
  customer_id: string | null;
  roles: StaffRole[] | null;
  last_used_at: Date | null;
}

/** A token is valid while not revoked and, for staff, while its agent is not deactivated (followed by the row's condition). */
export const PRINCIPAL_SQL = `SELECT t.id, t.kind, t.agent_id, t.customer_id, a.roles, t.last_used_at
    FROM api_tokens t LEFT JOIN agents a ON a.id = t.agent_id AND a.deactivated_at IS NULL
   WHERE t.revoked_at IS NULL AND`;

/**
 * Resolves a presented token to its principal. Answers are cached briefly (unknown tokens too),
 * and every api process drops them the moment a token is revoked or an agent's rights change:
 * the change publishes an invalidation (`invalidate`) over Redis once it has committed.
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger('Tokens');
  private readonly cache = new TokenCache(TOKEN_CACHE_LIMITS);
  private readonly changes = new Subject<TokenInvalidation>();
  private readonly usage: TokenUsage;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: TokenInvalidationBus,
  ) {
    this.usage = new TokenUsage((ids) => this.writeLastUsed(ids));
    bus.onInvalidation((scope) => {
      this.cache.invalidate(scope);
      this.changes.next(scope);
    });
  }

  /** Every invalidation this process applies (its own and the other processes'), as it applies it. */
  get invalidations$(): Observable<TokenInvalidation> {
    return this.changes.asObservable();
  }

  async resolve(token: string): Promise<Principal | null> {
    this.bus.listen();
    const hash = hashToken(token);
    const cached = this.cache.get(hash);
    if (cached !== undefined) {
      if (cached) this.usage.used(cached.tokenId);
      return cached;
    }
    const generation = this.cache.generation;
    const [row]: TokenRow[] = await this.dataSource.query(`${PRINCIPAL_SQL} t.token_hash = $1`, [hash]);
    const principal = row ? principalOf(row) : null;
    // Only while every invalidation reaches this process; otherwise each request asks the database.
    if (this.bus.live) this.cache.set(hash, principal, generation);
    if (principal) this.usage.used(principal.tokenId, row.last_used_at);
    return principal;
  }

  /** The principal of a token by its id, as it stands now (no cache): for long-lived streams. */
  async current(tokenId: string): Promise<Principal | null> {
    // Whoever asks this watches a principal for changes (invalidations$): this process must hear them.
    this.bus.listen();
    const [row]: TokenRow[] = await this.dataSource.query(`${PRINCIPAL_SQL} t.id = $1`, [tokenId]);
    return row ? principalOf(row) : null;
  }

  /**
   * Drops what every api process cached for these tokens, agents or customers. Call it once the
   * change has committed (a process reading before the commit would cache the old row again);
   * it returns once Redis has passed it on (or after a second at most).
   */
  async invalidate(scope: TokenInvalidation): Promise<void> {
    await this.bus.publish(scope);
  }

  private async writeLastUsed(tokenIds: string[]): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE api_tokens SET last_used_at = now()
          WHERE id = ANY($1::uuid[]) AND (last_used_at IS NULL OR last_used_at < now() - $2 * interval '1 millisecond')`,
        [tokenIds, LAST_USED_RESOLUTION_MS],
      );
    } catch (error) {
      this.logger.warn(`could not record the use of ${tokenIds.length} token(s): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The principal of a token's row (null: a staff token whose agent is deactivated, or a row without its owner). */
export function principalOf(row: TokenRow): Principal | null {
  if (row.kind === 'staff' && row.agent_id && row.roles) return { kind: 'staff', agentId: row.agent_id, roles: row.roles, tokenId: row.id };
  if (row.kind === 'customer' && row.customer_id) return { kind: 'customer', customerId: row.customer_id, tokenId: row.id };
  return null;
}
