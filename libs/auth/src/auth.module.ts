import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@helpdesk/audit';
import { AgentHooks } from './agent-hooks';
import { AgentsService } from './agents.service';
import { AuthGuard } from './auth.guard';
import { ConsoleSessionsService } from './sessions/console-sessions.service';
import { TokenService } from './token.service';
import { ApiTokensService } from './tokens/api-tokens.service';
import { TokenInvalidationBus } from './tokens/token-invalidation.bus';

/** Staff, tokens, the console's sessions and the global guard (bearer token or session cookie). */
@Module({
  imports: [AuditModule],
  providers: [TokenInvalidationBus, TokenService, ConsoleSessionsService, ApiTokensService, AgentsService, AgentHooks, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService, ConsoleSessionsService, ApiTokensService, AgentsService, AgentHooks],
})
export class AuthModule {}
