import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { actorOf, ApiTokensService, CUSTOMER_MANAGER_ROLES, CUSTOMER_TOKEN_ISSUER_ROLES, hashToken, hasRole, IssuedToken, Principal, StaffRole, TokenService, TokenView } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { SupportPlan } from '../support-plans/support-plan.entity';
import { Customer } from './customer.entity';
import { CustomerPlanHooks } from './customer-plan-hooks';
import { DirectoryCache } from '../directory/directory-cache';

export interface CustomerView {
  id: string;
  name: string;
  /** The primary domain: the first of `domains`. */
  domain: string;
  /** Every domain the customer's people mail from (unique across customers). */
  domains: string[];
  supportPlanId: string;
  createdAt: string;
}

export interface NewCustomer {
  name: string;
  domain: string;
  /** More domains besides `domain`. */
  domains?: string[];
  supportPlanId: string;
}

export interface CustomerPatch {
  name?: string;
  /** Replaces the list; the first is the primary domain. */
  domains?: string[];
  supportPlanId?: string;
}

interface CustomerRow {
  id: string;
  name: string;
  domain: string;
  domains: string[] | null;
  support_plan_id: string;
  created_at: Date;
}

const VIEW_SQL = `SELECT c.id, c.name, c.domain, c.support_plan_id, c.created_at,
       (SELECT array_agg(d.domain ORDER BY d.position) FROM customer_domains d WHERE d.customer_id = c.id) AS domains
  FROM customers c`;

const toView = (r: CustomerRow): CustomerView => ({
  id: r.id,
  name: r.name,
  domain: r.domain,
  domains: r.domains ?? [r.domain],
  supportPlanId: r.support_plan_id,
  createdAt: new Date(r.created_at).toISOString(),
});

const normaliseDomains = (domains: readonly string[]): string[] => [...new Set(domains.map((d) => d.trim().toLowerCase()))];

/**
 * The partner's customers: their details and domains, their support plan (a change moves their
 * open tickets' SLA clocks: CustomerPlanHooks), their scoped tokens. Managed by global_admin,
 * admin_agent and sales_agent (CUSTOMER_MANAGER_ROLES), who also revoke the customer's tokens;
 * issued by global_admin and admin_agent only (CUSTOMER_TOKEN_ISSUER_ROLES). Every change is
 * audited in its transaction.
 */
@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly apiTokens: ApiTokensService,
    private readonly audit: AuditService,
    private readonly planHooks: CustomerPlanHooks,
    private readonly directory: DirectoryCache,
  ) {}

  async create(input: NewCustomer): Promise<CustomerView> {
    const domains = normaliseDomains([input.domain, ...(input.domains ?? [])]);
    const created = await this.dataSource.transaction(async (manager) => {
      await this.assertPlan(manager, input.supportPlanId);
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO customers (name, domain, support_plan_id) VALUES ($1, $2, $3) ON CONFLICT (domain) DO NOTHING RETURNING id`,
        [input.name.trim(), domains[0], input.supportPlanId],
      );
      if (rows.length === 0) {
        throw new DomainError(DomainErrorCode.Conflict, `A customer with the domain ${domains[0]} already exists`, {
          errors: [{ field: 'domain', message: 'is already used by another customer', code: FieldErrorCode.Taken }],
        });
      }
      await this.setDomains(manager, rows[0].id, domains, input.domains?.length ? 'domains' : 'domain');
      const view = await this.viewIn(manager, rows[0].id);
      await this.audit.record(manager, { entity: 'customer', entityId: view.id, action: 'created', before: null, after: view });
      return view;
    });
    await this.directory.changed('customers');
    return created;
  }

  /** Name, domains, plan: one transaction with the audit entry and, for a new plan, the open tickets' SLA clocks. */
  async update(principal: Principal, id: string, patch: CustomerPatch): Promise<CustomerView> {
    this.assertManager(principal);
    const updated = await this.dataSource.transaction(async (manager) => {
      // NO KEY UPDATE: tickets filed meanwhile (a FOR KEY SHARE on the customer) do not wait.
      const [locked]: unknown[] = await manager.query(`SELECT 1 FROM customers WHERE id = $1 FOR NO KEY UPDATE`, [id]);
      if (!locked) throw DomainError.notFound('Customer', id);
      const before = await this.viewIn(manager, id);
      if (patch.name !== undefined) await manager.query(`UPDATE customers SET name = $2 WHERE id = $1`, [id, patch.name.trim()]);
      if (patch.domains !== undefined) await this.setDomains(manager, id, normaliseDomains(patch.domains), 'domains');
      if (patch.supportPlanId !== undefined && patch.supportPlanId !== before.supportPlanId) {
        await this.assertPlan(manager, patch.supportPlanId);
        await manager.query(`UPDATE customers SET support_plan_id = $2 WHERE id = $1`, [id, patch.supportPlanId]);
        await this.planHooks.changed(manager, { customerId: id, fromPlanId: before.supportPlanId, toPlanId: patch.supportPlanId, at: new Date(), actor: actorOf(principal) });
      }
      const after = await this.viewIn(manager, id);
      await this.audit.record(manager, { entity: 'customer', entityId: id, action: 'updated', before, after });
      return after;
    });
    await this.directory.changed('customers');
    return updated;
  }

  async get(id: string): Promise<CustomerView> {
    return this.viewIn(this.dataSource.manager, id);
  }

  async entity(id: string): Promise<Customer> {
    const customer = await this.dataSource.getRepository(Customer).findOne({ where: { id } });
    if (!customer) throw DomainError.notFound('Customer', id);
    return customer;
  }

  /** Every customer (kept in the process until one changes: DirectoryCache). */
  list(): Promise<CustomerView[]> {
    return this.directory.get('customers', async () => {
      const rows: CustomerRow[] = await this.dataSource.query(`${VIEW_SQL} ORDER BY c.name, c.id`);
      return rows.map(toView);
    });
  }

  /** The customer a mail domain belongs to (the e-mail channel matches senders' domains), or null. */
  /** Inside a transaction, pass its manager: a second pool connection per caller can exhaust the pool under load. */
  async findByDomain(domain: string, manager?: EntityManager): Promise<CustomerView | null> {
    const [row]: CustomerRow[] = await (manager ?? this.dataSource).query(`${VIEW_SQL} WHERE c.id = (SELECT customer_id FROM customer_domains WHERE domain = $1)`, [domain.trim().toLowerCase()]);
    return row ? toView(row) : null;
  }

  // ── Tokens scoped to a customer ──────────────────────────────────────────────────────────────

  async listTokens(principal: Principal, customerId: string): Promise<TokenView[]> {
    this.assertManager(principal);
    await this.viewIn(this.dataSource.manager, customerId);
    return this.apiTokens.list({ customerId });
  }

  /** A token scoped to this customer, shown once. */
  async issueToken(principal: Principal, customerId: string): Promise<IssuedToken> {
    this.assertManager(principal, CUSTOMER_TOKEN_ISSUER_ROLES);
    const issued = await this.dataSource.transaction(async (manager) => {
      await this.viewIn(manager, customerId);
      return this.apiTokens.issueIn(manager, { customerId });
    });
    await this.tokens.invalidate({ tokenHashes: [hashToken(issued.token)] });
    return issued;
  }

  async rotateToken(principal: Principal, customerId: string, tokenId: string): Promise<IssuedToken> {
    this.assertManager(principal, CUSTOMER_TOKEN_ISSUER_ROLES);
    const issued = await this.dataSource.transaction(async (manager) => this.apiTokens.rotateIn(manager, { customerId }, tokenId));
    await this.tokens.invalidate({ tokenIds: [tokenId], tokenHashes: [hashToken(issued.token)] });
    return issued;
  }

  /** Revoked at once in every api process. */
  async revokeToken(principal: Principal, customerId: string, tokenId: string): Promise<TokenView> {
    this.assertManager(principal);
    const revoked = await this.dataSource.transaction(async (manager) => this.apiTokens.revokeIn(manager, { customerId }, tokenId));
    await this.tokens.invalidate({ tokenIds: [tokenId] });
    return revoked;
  }

  // ── Rules ────────────────────────────────────────────────────────────────────────────────────

  assertManager(principal: Principal, roles: readonly StaffRole[] = CUSTOMER_MANAGER_ROLES): void {
    if (!hasRole(principal, roles)) {
      throw new DomainError(DomainErrorCode.Forbidden, `This operation needs one of the roles: ${roles.join(', ')}`);
    }
  }

  async viewIn(manager: EntityManager, id: string): Promise<CustomerView> {
    const [row]: CustomerRow[] = await manager.query(`${VIEW_SQL} WHERE c.id = $1`, [id]);
    if (!row) throw DomainError.notFound('Customer', id);
    return toView(row);
  }

  private async assertPlan(manager: EntityManager, planId: string): Promise<void> {
    if (!(await manager.exists(SupportPlan, { where: { id: planId } }))) {
      throw DomainError.invalid('supportPlanId', `no support plan has the id ${planId}`, FieldErrorCode.UnknownId);
    }
  }

  /** Replaces the customer's domains (the first is the primary); a domain of another customer is a 409 naming `field`. */
  private async setDomains(manager: EntityManager, customerId: string, domains: string[], field: string): Promise<void> {
    const taken = (list: string) =>
      new DomainError(DomainErrorCode.Conflict, `Another customer already has the domain(s) ${list}`, {
        errors: [{ field, message: `${list} already belong(s) to another customer`, code: FieldErrorCode.Taken }],
      });
    await manager.query(`DELETE FROM customer_domains WHERE customer_id = $1`, [customerId]);
    // A domain another transaction is adding waits for it here, then counts as taken.
    const added: Array<{ domain: string }> = await manager.query(
      `INSERT INTO customer_domains (domain, customer_id, position) SELECT d, $2, o - 1 FROM unnest($1::text[]) WITH ORDINALITY AS u(d, o)
       ON CONFLICT (domain) DO NOTHING RETURNING domain`,
      [domains, customerId],
    );
    if (added.length < domains.length) {
      const have = new Set(added.map((a) => a.domain));
      throw taken(domains.filter((d) => !have.has(d)).sort().join(', '));
    }
    try {
      await manager.query(`UPDATE customers SET domain = $2 WHERE id = $1 AND domain <> $2`, [customerId, domains[0]]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw taken(domains[0]);
      throw error;
    }
  }
}
