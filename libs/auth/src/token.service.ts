import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ApiToken } from './api-token.entity';
import { Principal } from './principal';
import { StaffRole } from './roles';

const CACHE_TTL_MS = 10_000;
const CACHE_MAX = 10_000;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** 32 random bytes, url-safe; the prefix tells staff and customer tokens apart at a glance. */
export const generateToken = (kind: 'staff' | 'customer'): string =>
  `${kind === 'staff' ? 'hds' : 'hdc'}_${randomBytes(32).toString('base64url')}`;

/** Issues tokens and resolves a presented token to its principal. */
@Injectable()
export class TokenService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the hash of a new (or given) token inside the caller's transaction; returns the token. */
  async issue(
    manager: EntityManager,
    owner: { agentId: string } | { customerId: string },
    token = generateToken('agentId' in owner ? 'staff' : 'customer'),
  ): Promise<string> {
    await manager.insert(ApiToken, {
      tokenHash: hashToken(token),
      kind: 'agentId' in owner ? 'staff' : 'customer',
      agentId: 'agentId' in owner ? owner.agentId : null,
      customerId: 'customerId' in owner ? owner.customerId : null,
    });
    return token;
  }

  async resolve(token: string): Promise<Principal | null> {
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;

    const rows: Array<{ id: string; kind: 'staff' | 'customer'; agent_id: string | null; customer_id: string | null; roles: StaffRole[] | null }> =
      await this.dataSource.query(
        `SELECT t.id, t.kind, t.agent_id, t.customer_id, a.roles
           FROM api_tokens t LEFT JOIN agents a ON a.id = t.agent_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
        [hash],
      );
    const row = rows[0];
    let principal: Principal | null = null;
    if (row?.kind === 'staff' && row.agent_id && row.roles) {
      principal = { kind: 'staff', agentId: row.agent_id, roles: row.roles, tokenId: row.id };
    } else if (row?.kind === 'customer' && row.customer_id) {
      principal = { kind: 'customer', customerId: row.customer_id, tokenId: row.id };
    }
    if (principal) {
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(hash, { principal, until: now + CACHE_TTL_MS });
    }
    return principal;
  }
}
