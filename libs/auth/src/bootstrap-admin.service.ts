import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { Agent } from './agent.entity';
import { AgentsService } from './agents.service';
import { StaffRole } from './roles';

const BOOTSTRAP_LOCK_KEY = 7_202_611_251;

/**
 * When no staff member exists, creates a global_admin whose token is BOOTSTRAP_ADMIN_TOKEN, or a
 * generated one printed once. Safe when many api processes start together.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agents: AgentsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const created = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      if ((await manager.count(Agent)) > 0) return null;
      return this.agents.createIn(
        manager,
        { name: 'Administrator', email: 'admin@helpdesk.local', roles: [StaffRole.GlobalAdmin] },
        this.config.BOOTSTRAP_ADMIN_TOKEN,
      );
    });
    if (!created) return;
    if (this.config.BOOTSTRAP_ADMIN_TOKEN) {
      this.logger.log(`Created the first global_admin (${created.email}) with the token from BOOTSTRAP_ADMIN_TOKEN`);
    } else {
      // Printed once, on purpose: only its hash is stored.
      process.stdout.write(
        `\n  First start: created the global_admin ${created.email}.\n` +
          `  Its token is shown this once, keep it:  ${created.token}\n` +
          `  Use it as:  Authorization: Bearer ${created.token}\n\n`,
      );
    }
  }
}
