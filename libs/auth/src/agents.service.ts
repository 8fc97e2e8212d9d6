import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { Agent } from './agent.entity';
import { StaffRole, TICKET_WORKER_ROLES } from './roles';
import { TokenService } from './token.service';

export interface NewAgent {
  name: string;
  email: string;
  roles: StaffRole[];
}

export interface AgentView {
  id: string;
  name: string;
  email: string;
  roles: StaffRole[];
  queues: string[];
  maxOpenTickets: number;
  available: boolean;
  createdAt: string;
}

export interface AgentPatch {
  name?: string;
  roles?: StaffRole[];
  queues?: string[];
  maxOpenTickets?: number;
  available?: boolean;
}

export const toAgentView = (a: Agent): AgentView => ({
  id: a.id,
  name: a.name,
  email: a.email,
  roles: a.roles,
  queues: a.queues,
  maxOpenTickets: a.maxOpenTickets,
  available: a.available,
  createdAt: a.createdAt.toISOString(),
});

/** Staff members and their tokens. */
@Injectable()
export class AgentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
  ) {}

  /** Creates the agent and its token in one transaction; the token is returned once. */
  async create(input: NewAgent, token?: string): Promise<AgentView & { token: string }> {
    return this.dataSource.transaction(async (manager) => this.createIn(manager, input, token));
  }

  async createIn(manager: EntityManager, input: NewAgent, token?: string): Promise<AgentView & { token: string }> {
    const email = input.email.trim().toLowerCase();
    const existing = await manager.findOne(Agent, { where: { email } });
    if (existing) {
      throw new DomainError(DomainErrorCode.Conflict, `An agent with the email ${email} already exists`, {
        errors: [{ field: 'email', message: 'is already used by another agent' }],
      });
    }
    const agent = manager.create(Agent, { name: input.name.trim(), email, roles: [...new Set(input.roles)] });
    try {
      await manager.save(agent);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(DomainErrorCode.Conflict, `An agent with the email ${email} already exists`);
      }
      throw error;
    }
    const issued = await this.tokens.issue(manager, { agentId: agent.id }, token);
    return { ...toAgentView(agent), token: issued };
  }

  /** Work settings (queues, cap, availability) and identity; the last global_admin keeps that role. */
  async update(id: string, patch: AgentPatch): Promise<AgentView> {
    return this.dataSource.transaction(async (manager) => {
      const agent = await manager.findOne(Agent, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agent) throw DomainError.notFound('Agent', id);
      if (patch.roles && agent.roles.includes(StaffRole.GlobalAdmin) && !patch.roles.includes(StaffRole.GlobalAdmin)) {
        await manager.query('SELECT pg_advisory_xact_lock(7202611251)');
        const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM agents WHERE 'global_admin' = ANY(roles)`);
        if (n <= 1) {
          throw new DomainError(DomainErrorCode.Conflict, 'The last global_admin cannot lose that role', {
            errors: [{ field: 'roles', message: 'must keep global_admin for the last global admin' }],
          });
        }
      }
      if (patch.name !== undefined) agent.name = patch.name.trim();
      if (patch.roles !== undefined) agent.roles = [...new Set(patch.roles)];
      if (patch.queues !== undefined) agent.queues = [...new Set(patch.queues.map((q) => q.trim()))];
      if (patch.maxOpenTickets !== undefined) agent.maxOpenTickets = patch.maxOpenTickets;
      if (patch.available !== undefined) agent.available = patch.available;
      // Triage assigns the tickets of an agent's queues: never to someone who may not work them (sales_agent, billing_admin).
      const workSettingsChanged = patch.queues !== undefined || patch.roles !== undefined;
      if (workSettingsChanged && agent.queues.length > 0 && !agent.roles.some((role) => TICKET_WORKER_ROLES.includes(role))) {
        throw DomainError.invalid(
          patch.queues !== undefined ? 'queues' : 'roles',
          `an agent with the roles ${agent.roles.join(', ')} may not work tickets, so has no queues (needs one of ${TICKET_WORKER_ROLES.join(', ')})`,
        );
      }
      return toAgentView(await manager.save(agent));
    });
  }

  async list(): Promise<AgentView[]> {
    const agents = await this.dataSource.getRepository(Agent).find({ order: { createdAt: 'ASC' } });
    return agents.map(toAgentView);
  }

  async get(id: string): Promise<AgentView> {
    const agent = await this.dataSource.getRepository(Agent).findOne({ where: { id } });
    if (!agent) throw DomainError.notFound('Agent', id);
    return toAgentView(agent);
  }
}
