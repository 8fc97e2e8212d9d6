import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { ConsoleSessionsService } from '../sessions/console-sessions.service';
import { generateToken, hashToken, tokenPrefix } from '../token.service';

/** Whose token: a staff member's or a customer's. */
export type TokenOwner = { agentId: string } | { customerId: string };

/** A token as lists show it: never the token itself, which is shown once, when issued. */
export interface TokenView {
  id: string;
  kind: 'staff' | 'customer';
  agentId: string | null;
  customerId: string | null;
  /** The token's first characters (`hds_AbCd1234`); null for tokens issued before prefixes were kept. */
  prefix: string | null;
  createdAt: string;
  /** Within a minute of the last use; null if never used. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A token just issued: the only time the token itself is returned. */
export interface IssuedToken extends TokenView {
  token: string;
}

interface TokenRow {
  id: string;
  kind: 'staff' | 'customer';
  agent_id: string | null;
  customer_id: string | null;
  token_prefix: string | null;
  token_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export const toTokenView = (r: TokenRow): TokenView => ({
  id: r.id,
  kind: r.kind,
  agentId: r.agent_id,
  customerId: r.customer_id,
  prefix: r.token_prefix,
  createdAt: iso(r.created_at)!,
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
});

const ownerSql = (owner: TokenOwner): [string, string] =>
  'agentId' in owner ? ['agent_id = $1', owner.agentId] : ['customer_id = $1', owner.customerId];

/**
 * Issuing, listing, rotating and revoking the tokens of staff and customers, each change with its
 * audit entry, inside the caller's transaction. Who may do it is the caller's rule (AgentsService
 * for staff, intake's CustomersService for customers); after the commit the caller publishes the
 * invalidation (`TokenService.invalidate`) so that every api process stops accepting a revoked token.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  /** Newest first, revoked ones included. */
  async list(owner: TokenOwner, manager: EntityManager = this.dataSource.manager): Promise<TokenView[]> {
    const [where, id] = ownerSql(owner);
    const rows: TokenRow[] = await manager.query(`SELECT * FROM api_tokens WHERE ${where} ORDER BY created_at DESC, id`, [id]);
    return rows.map(toTokenView);
  }

  /** Stores the hash of a new (or given) token; returns the token, once. Invalidate `{tokenHashes: [hashToken(token)]}` after the commit. */
  async issueIn(manager: EntityManager, owner: TokenOwner, token = generateToken('agentId' in owner ? 'staff' : 'customer'), replaces?: string): Promise<IssuedToken> {
    const [row]: TokenRow[] = await manager.query(
      `INSERT INTO api_tokens (token_hash, token_prefix, kind, agent_id, customer_id) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [hashToken(token), tokenPrefix(token), 'agentId' in owner ? 'staff' : 'customer', 'agentId' in owner ? owner.agentId : null, 'customerId' in owner ? owner.customerId : null],
    );
    const view = toTokenView(row);
    await this.audit.record(manager, { entity: 'api_token', entityId: view.id, action: 'issued', before: null, after: replaces ? { ...view, replaces } : view });
    return { ...view, token };
  }

  /** Revokes one of the owner's tokens (already revoked: unchanged) and ends its console sessions. Invalidate `{tokenIds: [tokenId]}` after the commit. */
  async revokeIn(manager: EntityManager, owner: TokenOwner, tokenId: string, action = 'revoked'): Promise<TokenView> {
    const before = await this.lockedOf(manager, owner, tokenId);
    if (before.revoked_at) return toTokenView(before);
    // An UPDATE answers [rows, count].
    const [[after]]: [TokenRow[], number] = await manager.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 RETURNING *`, [tokenId]);
    await this.sessions.endIn(manager, { tokenId });
    await this.audit.record(manager, { entity: 'api_token', entityId: tokenId, action, before: toTokenView(before), after: toTokenView(after) });
    return toTokenView(after);
  }

  /** Revokes a token and issues its replacement. Invalidate both (`tokenIds`, `tokenHashes`) after the commit. */
  async rotateIn(manager: EntityManager, owner: TokenOwner, tokenId: string): Promise<IssuedToken> {
    const old = await this.lockedOf(manager, owner, tokenId);
    if (old.revoked_at) {
      throw new DomainError(DomainErrorCode.Conflict, `Token ${tokenId} is revoked; issue a new one instead`, { errors: [{ field: 'tokenId', message: 'is revoked', code: FieldErrorCode.Revoked }] });
    }
    await this.revokeIn(manager, owner, tokenId, 'rotated');
    return this.issueIn(manager, owner, undefined, tokenId);
  }

  /** The hashes of the owner's valid tokens (to drop "no such token" answers cached for them when they work again). */
  async validHashes(manager: EntityManager, owner: TokenOwner): Promise<string[]> {
    const [where, id] = ownerSql(owner);
    const rows: Array<{ token_hash: string }> = await manager.query(`SELECT token_hash FROM api_tokens WHERE ${where} AND revoked_at IS NULL`, [id]);
    return rows.map((r) => r.token_hash);
  }

  private async lockedOf(manager: EntityManager, owner: TokenOwner, tokenId: string): Promise<TokenRow> {
    const [where, id] = ownerSql(owner);
    const [row]: TokenRow[] = await manager.query(`SELECT * FROM api_tokens WHERE ${where} AND id = $2 FOR UPDATE`, [id, tokenId]);
    if (!row) throw DomainError.notFound('Token', tokenId);
    return row;
  }
}
