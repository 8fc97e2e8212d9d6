import type { Principal } from '../principal';

/** Which cached principals an invalidation drops: any token, agent, customer or token hash named. */
export interface TokenInvalidation {
  tokenIds?: string[];
  agentIds?: string[];
  customerIds?: string[];
  /** SHA-256 of tokens just issued: drops a "no such token" answer cached for them. */
  tokenHashes?: string[];
  /** Everything (after a gap in the invalidation messages). */
  all?: boolean;
}

export interface TokenCacheLimits {
  /** How long a resolved principal is reused (an invalidation drops it sooner). */
  ttlMs: number;
  /** How long "no such token" is reused: a flood of bad tokens costs one query per token per period. */
  negativeTtlMs: number;
  /** Entries of each kind; the oldest go first beyond it. */
  max: number;
}

/**
 * The principals of recently seen tokens (by token hash), and the hashes recently found to be no
 * token at all. Every invalidation bumps `generation`: a lookup that began before an invalidation
 * may have read the row as it was, so `set` ignores an answer read under an older generation.
 */
export class TokenCache {
  private readonly principals = new Map<string, { principal: Principal; until: number }>();
  private readonly unknown = new Map<string, number>();
  private gen = 0;

  constructor(private readonly limits: TokenCacheLimits) {}

  get generation(): number {
    return this.gen;
  }

  /** The cached answer: a principal, null (known to be no valid token), or undefined (not cached). */
  get(hash: string, now = Date.now()): Principal | null | undefined {
    const hit = this.principals.get(hash);
    if (hit) {
      if (hit.until > now) return hit.principal;
      this.principals.delete(hash);
    }
    const until = this.unknown.get(hash);
    if (until !== undefined) {
      if (until > now) return null;
      this.unknown.delete(hash);
    }
    return undefined;
  }

  /** Caches an answer read under `generation`; ignored when an invalidation came since. */
  set(hash: string, principal: Principal | null, generation: number, now = Date.now()): void {
    if (generation !== this.gen) return;
    if (principal) {
      bounded(this.principals, this.limits.max);
      this.principals.set(hash, { principal, until: now + this.limits.ttlMs });
    } else {
      bounded(this.unknown, this.limits.max);
      this.unknown.set(hash, now + this.limits.negativeTtlMs);
    }
  }

  invalidate(scope: TokenInvalidation): void {
    this.gen++;
    if (scope.all) {
      this.clear();
      return;
    }
    for (const hash of scope.tokenHashes ?? []) this.unknown.delete(hash);
    for (const [hash, { principal }] of this.principals) {
      if (invalidationConcerns(scope, principal)) this.principals.delete(hash);
    }
  }

  clear(): void {
    this.gen++;
    this.principals.clear();
    this.unknown.clear();
  }

  get size(): { principals: number; unknown: number } {
    return { principals: this.principals.size, unknown: this.unknown.size };
  }
}

/** Makes room for one entry: drops the oldest (a Map iterates in insertion order). */
function bounded(map: Map<string, unknown>, max: number): void {
  while (map.size >= max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}

/** Whether an invalidation concerns this principal. */
export function invalidationConcerns(scope: TokenInvalidation, principal: Principal): boolean {
  if (scope.all || scope.tokenIds?.includes(principal.tokenId)) return true;
  return principal.kind === 'staff' ? Boolean(scope.agentIds?.includes(principal.agentId)) : Boolean(scope.customerIds?.includes(principal.customerId));
}
