import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { prepared, queryPrepared } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { Agent, AgentLocale } from './agent.entity';
import { AgentHooks } from './agent-hooks';
import { actorOf, hasRole, Principal, StaffPrincipal } from './principal';
import { STAFF_MANAGER_ROLES, StaffRole, TICKET_WORKER_ROLES } from './roles';
import { ConsoleSessionsService } from './sessions/console-sessions.service';
import { mayWorkTicket } from './ticket-reach';
import { hashToken, TokenService } from './token.service';
import { ApiTokensService, IssuedToken, TokenView } from './tokens/api-tokens.service';

export interface NewAgent {
  name: string;
  email: string;
  roles: StaffRole[];
  locale?: AgentLocale | null;
}

export interface AgentView {
  id: string;
  name: string;
  email: string;
  roles: StaffRole[];
  queues: string[];
  maxOpenTickets: number;
  available: boolean;
  /** The language of the agent's mail; null: not chosen (English, then Spanish). */
  locale: AgentLocale | null;
  /** Set while deactivated: none of the agent's tokens works, nothing may be assigned to them. */
  deactivatedAt: string | null;
  createdAt: string;
}

/** An agent as staff screens show them: the settings above and how many open tickets they hold now. */
export interface AgentLoadView extends AgentView {
  /** Open tickets assigned to the agent now (auto-assignment gives no more once it reaches maxOpenTickets). */
  openTickets: number;
}

export interface AgentPatch {
  name?: string;
  roles?: StaffRole[];
  queues?: string[];
  maxOpenTickets?: number;
  available?: boolean;
  locale?: AgentLocale | null;
}

export const toAgentView = (a: Agent): AgentView => ({
  id: a.id,
  name: a.name,
  email: a.email,
  roles: a.roles,
  queues: a.queues,
  maxOpenTickets: a.maxOpenTickets,
  available: a.available,
  locale: a.locale ?? null,
  deactivatedAt: a.deactivatedAt ? a.deactivatedAt.toISOString() : null,
  createdAt: a.createdAt.toISOString(),
});

/** An agent as the API shows them, with the open tickets assigned to them now. */
export const toAgentLoadView = (a: Agent): AgentLoadView => ({ ...toAgentView(a), openTickets: a.openTickets });

/** Serialises the changes that could take the last active global_admin away (role change, deactivation). */
const LAST_ADMIN_LOCK = 7_202_611_251;

/**
 * Staff members, their lifecycle (deactivate, reactivate) and their tokens. Who may change whom:
 * global_admin and admin_agent manage staff, but only a global_admin changes a global_admin;
 * everyone manages their own tokens. Every change is audited in its transaction, and once it has
 * committed, every api process drops what it cached for the agent's tokens.
 */
/**
 * The agent an assignment names, locked FOR KEY SHARE (assertAssignable). Prepared: every ticket of
 * a bulk change that assigns runs it, and planning it cost more than running it. Its result
 * columns are named, so a migration adding a column leaves a connection's plan of it valid.
 */
const ASSIGNABLE_AGENT = prepared(
  'agents_assignable',
  `SELECT a.roles, a.deactivated_at,
          EXISTS (SELECT 1 FROM api_tokens t WHERE t.agent_id = a.id AND t.revoked_at IS NULL) AS has_token
     FROM agents a WHERE a.id = $1 FOR KEY SHARE OF a`,
);

@Injectable()
export class AgentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly apiTokens: ApiTokensService,
    private readonly audit: AuditService,
    private readonly hooks: AgentHooks,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  /** Creates the agent and its token in one transaction; the token is returned once. */
  async create(input: NewAgent, token?: string): Promise<AgentLoadView & { token: string }> {
    const created = await this.dataSource.transaction(async (manager) => this.createIn(manager, input, token));
    await this.tokens.invalidate({ tokenHashes: [hashToken(created.token)] });
    return created;
  }

  async createIn(manager: EntityManager, input: NewAgent, token?: string): Promise<AgentLoadView & { token: string }> {
    const email = input.email.trim().toLowerCase();
    const existing = await manager.findOne(Agent, { where: { email } });
    if (existing) {
      throw new DomainError(DomainErrorCode.Conflict, `An agent with the email ${email} already exists`, {
        errors: [{ field: 'email', message: 'is already used by another agent', code: FieldErrorCode.Taken }],
      });
    }
    const agent = manager.create(Agent, { name: input.name.trim(), email, roles: [...new Set(input.roles)], locale: input.locale ?? null });
    try {
      await manager.save(agent);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(DomainErrorCode.Conflict, `An agent with the email ${email} already exists`, {
          errors: [{ field: 'email', message: 'is already used by another agent', code: FieldErrorCode.Taken }],
        });
      }
      throw error;
    }
    const view = toAgentView(agent);
    await this.audit.record(manager, { entity: 'agent', entityId: agent.id, action: 'created', before: null, after: view });
    const issued = await this.apiTokens.issueIn(manager, { agentId: agent.id }, token);
    // A new agent holds no tickets yet.
    return { ...view, openTickets: 0, token: issued.token };
  }

  /** Work settings (queues, cap, availability) and identity; roles by a global_admin only; the last global_admin keeps that role. */
  async update(principal: Principal, id: string, patch: AgentPatch): Promise<AgentLoadView> {
    const staff = this.manager(principal);
    if (patch.roles !== undefined && !staff.roles.includes(StaffRole.GlobalAdmin)) {
      throw new DomainError(DomainErrorCode.Forbidden, 'Only a global_admin may change roles', { errors: [{ field: 'roles', message: 'may be changed by a global_admin only', code: FieldErrorCode.NotAllowed }] });
    }
    const { view, rolesChanged } = await this.dataSource.transaction(async (manager) => {
      const agent = await this.locked(manager, id);
      this.assertMayChange(staff, agent);
      const before = toAgentView(agent);
      if (patch.roles && agent.roles.includes(StaffRole.GlobalAdmin) && !patch.roles.includes(StaffRole.GlobalAdmin)) {
        await this.assertAnotherGlobalAdmin(manager, 'roles', 'must keep global_admin for the last global admin');
      }
      if (patch.available === true && agent.deactivatedAt) {
        throw new DomainError(DomainErrorCode.Conflict, `Agent ${id} is deactivated; reactivate them first`, { errors: [{ field: 'available', message: 'cannot be true for a deactivated agent', code: FieldErrorCode.Deactivated }] });
      }
      if (patch.name !== undefined) agent.name = patch.name.trim();
      if (patch.roles !== undefined) agent.roles = [...new Set(patch.roles)];
      if (patch.queues !== undefined) agent.queues = [...new Set(patch.queues.map((q) => q.trim()))];
      if (patch.maxOpenTickets !== undefined) agent.maxOpenTickets = patch.maxOpenTickets;
      if (patch.available !== undefined) agent.available = patch.available;
      if (patch.locale !== undefined) agent.locale = patch.locale;
      // Triage assigns the tickets of an agent's queues: never to someone who may not work them (sales_agent, billing_admin).
      const workSettingsChanged = patch.queues !== undefined || patch.roles !== undefined;
      if (workSettingsChanged && agent.queues.length > 0 && !agent.roles.some((role) => TICKET_WORKER_ROLES.includes(role))) {
        throw DomainError.invalid(
          patch.queues !== undefined ? 'queues' : 'roles',
          `an agent with the roles ${agent.roles.join(', ')} may not work tickets, so has no queues (needs one of ${TICKET_WORKER_ROLES.join(', ')})`,
          FieldErrorCode.NoTicketWork,
        );
      }
      const after = toAgentView(await manager.save(agent));
      await this.audit.record(manager, { entity: 'agent', entityId: id, action: 'updated', before, after });
      return { view: after, rolesChanged: before.roles.join() !== after.roles.join() };
    });
    if (rolesChanged) await this.tokens.invalidate({ agentIds: [id] });
    return this.withLoad(view);
  }

  /**
   * Deactivates an agent at once: their tokens stop working in every api process (their console
   * sessions end), they are no
   * longer available, and their open tickets go back to their queues unassigned (AgentHooks: intake
   * does it, with an event each) — one transaction. Deactivating a deactivated agent changes nothing.
   */
  async deactivate(principal: Principal, id: string): Promise<AgentLoadView> {
    const staff = this.manager(principal);
    if (staff.agentId === id) {
      throw new DomainError(DomainErrorCode.Conflict, 'You cannot deactivate yourself', { errors: [{ field: 'id', message: 'is your own agent id', code: FieldErrorCode.Yourself }] });
    }
    const view = await this.dataSource.transaction(async (manager) => {
      const agent = await this.locked(manager, id);
      this.assertMayChange(staff, agent);
      if (agent.deactivatedAt) return toAgentView(agent);
      if (agent.roles.includes(StaffRole.GlobalAdmin)) await this.assertAnotherGlobalAdmin(manager, 'id', 'is the last active global_admin');
      const before = toAgentView(agent);
      const at = new Date();
      agent.deactivatedAt = at;
      agent.available = false;
      const after = toAgentView(await manager.save(agent));
      await this.hooks.deactivated(manager, { agentId: id, actor: actorOf(staff), at });
      await this.sessions.endIn(manager, { agentId: id });
      await this.audit.record(manager, { entity: 'agent', entityId: id, action: 'deactivated', before, after });
      return after;
    });
    await this.tokens.invalidate({ agentIds: [id] });
    return this.withLoad(view);
  }

  /** Lets a deactivated agent sign in again with their unrevoked tokens; they stay unavailable until someone sets `available`. */
  async reactivate(principal: Principal, id: string): Promise<AgentLoadView> {
    const staff = this.manager(principal);
    const { view, hashes } = await this.dataSource.transaction(async (manager) => {
      const agent = await this.locked(manager, id);
      this.assertMayChange(staff, agent);
      if (!agent.deactivatedAt) return { view: toAgentView(agent), hashes: [] };
      const before = toAgentView(agent);
      agent.deactivatedAt = null;
      const after = toAgentView(await manager.save(agent));
      await this.audit.record(manager, { entity: 'agent', entityId: id, action: 'reactivated', before, after });
      return { view: after, hashes: await this.apiTokens.validHashes(manager, { agentId: id }) };
    });
    // Their tokens were "no such token" while deactivated: no process may keep answering that.
    if (hashes.length) await this.tokens.invalidate({ tokenHashes: hashes, agentIds: [id] });
    return this.withLoad(view);
  }

  async list(): Promise<AgentLoadView[]> {
    const agents = await this.dataSource.getRepository(Agent).find({ order: { createdAt: 'ASC' } });
    return agents.map(toAgentLoadView);
  }

  async get(id: string): Promise<AgentLoadView> {
    const agent = await this.dataSource.getRepository(Agent).findOne({ where: { id } });
    if (!agent) throw DomainError.notFound('Agent', id);
    return toAgentLoadView(agent);
  }

  /**
   * What `GET /views` needs of the caller on every call, in one plain statement (not the whole entity): the queues they
   * work ("my queues") and their open tickets ("my open tickets": the `agents.open_tickets` counter
   * the tickets' triggers keep in each write's transaction).
   */
  async workload(id: string): Promise<{ queues: string[]; openTickets: number }> {
    const [row]: Array<{ queues: string[]; open_tickets: number }> = await this.dataSource.query(`SELECT queues, open_tickets FROM agents WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('Agent', id);
    return { queues: row.queues, openTickets: row.open_tickets };
  }

  /**
   * A changed agent's view with their open tickets read after the change committed: the count is
   * the tickets trigger's (a deactivation's unassignments land in it at commit), not the entity's.
   */
  private async withLoad(view: AgentView): Promise<AgentLoadView> {
    const agent = await this.dataSource.getRepository(Agent).findOne({ where: { id: view.id }, select: { id: true, openTickets: true } });
    return { ...view, openTickets: agent?.openTickets ?? 0 };
  }

  // ── Tokens: an agent's own, or any agent's for those who manage staff ────────────────────────

  async listTokens(principal: Principal, agentId: string): Promise<TokenView[]> {
    const agent = await this.dataSource.getRepository(Agent).findOne({ where: { id: agentId } });
    if (!agent) throw DomainError.notFound('Agent', agentId);
    this.assertMayChange(this.staff(principal), agent, { self: true });
    return this.apiTokens.list({ agentId });
  }

  async issueToken(principal: Principal, agentId: string): Promise<IssuedToken> {
    const issued = await this.dataSource.transaction(async (manager) => {
      const agent = await this.locked(manager, agentId);
      this.assertMayChange(this.staff(principal), agent, { self: true });
      this.assertActive(agent);
      return this.apiTokens.issueIn(manager, { agentId });
    });
    await this.tokens.invalidate({ tokenHashes: [hashToken(issued.token)] });
    return issued;
  }

  async rotateToken(principal: Principal, agentId: string, tokenId: string): Promise<IssuedToken> {
    const issued = await this.dataSource.transaction(async (manager) => {
      const agent = await this.locked(manager, agentId);
      this.assertMayChange(this.staff(principal), agent, { self: true });
      this.assertActive(agent);
      return this.apiTokens.rotateIn(manager, { agentId }, tokenId);
    });
    await this.tokens.invalidate({ tokenIds: [tokenId], tokenHashes: [hashToken(issued.token)] });
    return issued;
  }

  async revokeToken(principal: Principal, agentId: string, tokenId: string): Promise<TokenView> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      const agent = await this.locked(manager, agentId);
      this.assertMayChange(this.staff(principal), agent, { self: true });
      return this.apiTokens.revokeIn(manager, { agentId }, tokenId);
    });
    await this.tokens.invalidate({ tokenIds: [tokenId] });
    return revoked;
  }

  // ── For the contexts built on auth ───────────────────────────────────────────────────────────

  /** Display names of agents by id (what a customer sees of staff). */
  async displayNames(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await manager.query(`SELECT id, name FROM agents WHERE id = ANY($1::uuid[])`, [unique]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * Refuses, naming `assigneeId`, an agent who may not be given a ticket of this category: an
   * unknown id (400); someone who does not work such tickets, is deactivated, or holds no valid
   * token (409). Locks the agent (the caller has locked the ticket first) FOR KEY SHARE: every
   * change of an agent (deactivation, roles, tokens: `locked`) and `pick_agent` take FOR UPDATE,
   * which waits for this lock, so none commits in between; changes assigning tickets to one agent
   * share it, and wait on that agent's row only for its open-ticket counter (see bulk changes).
   */
  async assertAssignable(manager: EntityManager, agentId: string, category: string | null): Promise<void> {
    const [agent] = await queryPrepared<{ roles: StaffRole[]; deactivated_at: Date | null; has_token: boolean }>(manager, ASSIGNABLE_AGENT, [agentId], {
      nameInTransaction: true,
    });
    if (!agent) throw DomainError.invalid('assigneeId', `no agent has the id ${agentId}`, FieldErrorCode.UnknownId);
    const refuse = (why: string, code: FieldErrorCode, params: Record<string, unknown> = {}) =>
      new DomainError(DomainErrorCode.Conflict, `Agent ${agentId} cannot be assigned this ticket: ${why}`, { errors: [{ field: 'assigneeId', message: why, code, params }] });
    if (!mayWorkTicket(agent.roles, category)) {
      throw refuse(`an agent with the roles ${agent.roles.join(', ')} does not work ${category ?? 'uncategorised'} tickets`, FieldErrorCode.MayNotWork, { roles: agent.roles, category });
    }
    if (agent.deactivated_at) throw refuse('the agent is deactivated', FieldErrorCode.Deactivated);
    if (!agent.has_token) throw refuse('the agent holds no valid token, so cannot sign in', FieldErrorCode.NoToken);
  }

  // ── Rules ────────────────────────────────────────────────────────────────────────────────────

  private staff(principal: Principal): StaffPrincipal {
    if (principal.kind !== 'staff') throw new DomainError(DomainErrorCode.Forbidden, 'Customer tokens may not manage staff');
    return principal;
  }

  private manager(principal: Principal): StaffPrincipal {
    const staff = this.staff(principal);
    if (!hasRole(staff, STAFF_MANAGER_ROLES)) {
      throw new DomainError(DomainErrorCode.Forbidden, `Managing staff needs one of the roles: ${STAFF_MANAGER_ROLES.join(', ')}`);
    }
    return staff;
  }

  /** Staff managers change staff, but only a global_admin changes a global_admin; `self` lets anyone act on their own agent. */
  private assertMayChange(staff: StaffPrincipal, agent: Agent, options: { self?: boolean } = {}): void {
    if (options.self && staff.agentId === agent.id) return;
    this.manager(staff);
    if (agent.roles.includes(StaffRole.GlobalAdmin) && !staff.roles.includes(StaffRole.GlobalAdmin)) {
      throw new DomainError(DomainErrorCode.Forbidden, 'Only a global_admin may change a global_admin');
    }
  }

  private assertActive(agent: Agent): void {
    if (agent.deactivatedAt) {
      throw new DomainError(DomainErrorCode.Conflict, `Agent ${agent.id} is deactivated; reactivate them first`, { errors: [{ field: 'id', message: 'is a deactivated agent', code: FieldErrorCode.Deactivated }] });
    }
  }

  private async assertAnotherGlobalAdmin(manager: EntityManager, field: string, message: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [LAST_ADMIN_LOCK]);
    const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM agents WHERE 'global_admin' = ANY(roles) AND deactivated_at IS NULL`);
    if (n <= 1) {
      throw new DomainError(DomainErrorCode.Conflict, 'The last active global_admin must stay one', { errors: [{ field, message, code: FieldErrorCode.LastGlobalAdmin }] });
    }
  }

  /** FOR UPDATE: conflicts with assertAssignable's FOR KEY SHARE, so no assignment commits across a change of the agent. */
  private async locked(manager: EntityManager, id: string): Promise<Agent> {
    const agent = await manager.findOne(Agent, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!agent) throw DomainError.notFound('Agent', id);
    return agent;
  }
}
