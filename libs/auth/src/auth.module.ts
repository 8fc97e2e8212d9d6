import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@helpdesk/audit';
import { AgentHooks } from './agent-hooks';
import { AgentsService } from './agents.service';
import { AuthGuard } from './auth.guard';
import { TokenService } from './token.service';
import { ApiTokensService } from './tokens/api-tokens.service';
import { TokenInvalidationBus } from './tokens/token-invalidation.bus';

/** Staff, tokens and the global bearer-token guard. */
@Module({
  imports: [AuditModule],
  providers: [TokenInvalidationBus, TokenService, ApiTokensService, AgentsService, AgentHooks, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService, ApiTokensService, AgentsService, AgentHooks],
})
export class AuthModule {}
