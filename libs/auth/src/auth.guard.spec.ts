import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, AuthenticatedRequest } from './auth.guard';
import { CustomersAllowed, Roles } from './auth.decorators';
import type { Principal } from './principal';
import { StaffRole } from './roles';
import type { ConsoleSessionsService } from './sessions/console-sessions.service';
import type { TokenService } from './token.service';

class Routes {
  @Roles(StaffRole.AdminAgent)
  adminsOnly(): void {}
  @CustomersAllowed()
  anyone(): void {}
}

const agent: Principal = { kind: 'staff', agentId: 'a1', roles: [StaffRole.HelpdeskAgent], tokenId: 't1' };
const admin: Principal = { kind: 'staff', agentId: 'a2', roles: [StaffRole.AdminAgent], tokenId: 't2' };

function contextOf(request: Partial<AuthenticatedRequest>, handler: () => void): { context: ExecutionContext; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const reply = { header: (name: string, value: string) => void (headers[name] = value) };
  const context = {
    getHandler: () => handler,
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

/** The guard with a token service that knows `tokens` and counts its lookups. */
function guardWith(tokens: Record<string, Principal>) {
  const resolved: string[] = [];
  const service = { resolve: async (token: string) => (resolved.push(token), tokens[token] ?? null) } as unknown as TokenService;
  return { guard: new AuthGuard(new Reflector(), service, {} as ConsoleSessionsService), resolved };
}

describe('AuthGuard', () => {
  it('takes the principal the edge resolved from this very bearer token, without resolving it again', async () => {
    const { guard, resolved } = guardWith({ agent: agent });
    const request = { headers: { authorization: 'Bearer agent' }, principal: agent, principalFromBearer: 'agent' } as unknown as AuthenticatedRequest;
    await expect(guard.canActivate(contextOf(request, Routes.prototype.anyone).context)).resolves.toBe(true);
    expect(resolved).toEqual([]);
    expect(request.principal).toBe(agent);
  });

  it('still decides the roles on the principal the edge resolved', async () => {
    const { guard, resolved } = guardWith({ agent: agent });
    const request = { headers: { authorization: 'Bearer agent' }, principal: agent, principalFromBearer: 'agent' } as unknown as AuthenticatedRequest;
    await expect(guard.canActivate(contextOf(request, Routes.prototype.adminsOnly).context)).rejects.toBeInstanceOf(ForbiddenException);
    expect(resolved).toEqual([]);
  });

  it('resolves the header when the principal on the request came from another token (or from nothing)', async () => {
    const { guard, resolved } = guardWith({ admin: admin });
    const request = { headers: { authorization: 'Bearer admin' }, principal: agent, principalFromBearer: 'agent' } as unknown as AuthenticatedRequest;
    await expect(guard.canActivate(contextOf(request, Routes.prototype.adminsOnly).context)).resolves.toBe(true);
    expect(resolved).toEqual(['admin']);
    expect(request.principal).toBe(admin);

    const bare = { headers: { authorization: 'Bearer admin' } } as unknown as AuthenticatedRequest;
    await expect(guard.canActivate(contextOf(bare, Routes.prototype.adminsOnly).context)).resolves.toBe(true);
    expect(resolved).toEqual(['admin', 'admin']);
  });

  it('answers an unknown token 401 with WWW-Authenticate invalid_token', async () => {
    const { guard } = guardWith({});
    const { context, headers } = contextOf({ headers: { authorization: 'Bearer nobody' } } as unknown as AuthenticatedRequest, Routes.prototype.anyone);
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(UnauthorizedException);
    expect(headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
  });
});
