import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AgentsService } from './agents.service';
import { AuthGuard } from './auth.guard';
import { TokenService } from './token.service';

/** Staff, tokens and the global bearer-token guard. */
@Module({
  providers: [TokenService, AgentsService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService, AgentsService],
})
export class AuthModule {}
