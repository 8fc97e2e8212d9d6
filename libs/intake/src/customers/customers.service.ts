import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TokenService } from '@helpdesk/auth';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { SupportPlan } from '../support-plans/support-plan.entity';
import { Customer } from './customer.entity';

export interface CustomerView {
  id: string;
  name: string;
  domain: string;
  supportPlanId: string;
  createdAt: string;
}

const toView = (c: Customer): CustomerView => ({
  id: c.id,
  name: c.name,
  domain: c.domain,
  supportPlanId: c.supportPlanId,
  createdAt: c.createdAt.toISOString(),
});

/** The partner's customers and their scoped tokens. */
@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
  ) {}

  async create(input: { name: string; domain: string; supportPlanId: string }): Promise<CustomerView> {
    const domain = input.domain.trim().toLowerCase();
    return this.dataSource.transaction(async (manager) => {
      if (!(await manager.exists(SupportPlan, { where: { id: input.supportPlanId } }))) {
        throw DomainError.invalid('supportPlanId', `no support plan has the id ${input.supportPlanId}`);
      }
      const rows: Customer[] = await manager.query(
        `INSERT INTO customers (name, domain, support_plan_id) VALUES ($1, $2, $3)
         ON CONFLICT (domain) DO NOTHING
         RETURNING id, name, domain, support_plan_id AS "supportPlanId", created_at AS "createdAt"`,
        [input.name.trim(), domain, input.supportPlanId],
      );
      if (rows.length === 0) {
        throw new DomainError(DomainErrorCode.Conflict, `A customer with the domain ${domain} already exists`, {
          errors: [{ field: 'domain', message: 'is already used by another customer' }],
        });
      }
      return toView({ ...rows[0], createdAt: new Date(rows[0].createdAt) });
    });
  }

  async get(id: string): Promise<CustomerView> {
    return toView(await this.entity(id));
  }

  async entity(id: string): Promise<Customer> {
    const customer = await this.dataSource.getRepository(Customer).findOne({ where: { id } });
    if (!customer) throw DomainError.notFound('Customer', id);
    return customer;
  }

  async list(): Promise<CustomerView[]> {
    const customers = await this.dataSource.getRepository(Customer).find({ order: { name: 'ASC' } });
    return customers.map(toView);
  }

  /** A token scoped to this customer, shown once. */
  async issueToken(customerId: string): Promise<{ token: string; customerId: string }> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await manager.exists(Customer, { where: { id: customerId } }))) throw DomainError.notFound('Customer', customerId);
      return { token: await this.tokens.issue(manager, { customerId }), customerId };
    });
  }
}
