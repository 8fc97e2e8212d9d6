import { applyDecorators } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Roles, StaffRole, TICKET_WORKER_ROLES } from '@helpdesk/auth';

/**
 * A staff route's roles (what the AuthGuard enforces) and its summary; the OpenAPI document's
 * `x-roles` and roles line are written from the same decorator by openapi-roles.ts.
 */
export function ApiRoles(summary: string, roles: readonly StaffRole[], options: { description?: string } = {}): MethodDecorator {
  return applyDecorators(Roles(...roles), ApiOperation({ summary, ...(options.description ? { description: options.description } : {}) }));
}

/** The staff who work tickets (change them, comment, merge, use macros). */
export const TICKET_WORKERS = TICKET_WORKER_ROLES;
