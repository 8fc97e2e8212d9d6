import { applyDecorators } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CustomersAllowed, Roles, StaffRole } from '@helpdesk/auth';

/**
 * Who may call a route, said once: the guard's roles (and whether customer tokens may call it)
 * and the same words in the OpenAPI document, so the two never disagree.
 */
export function ApiRoles(summary: string, roles: readonly StaffRole[], options: { customers?: boolean; description?: string } = {}): MethodDecorator {
  const who = [`Roles: ${[StaffRole.GlobalAdmin, ...roles.filter((r) => r !== StaffRole.GlobalAdmin)].join(', ')}`];
  if (options.customers) who.push('customer tokens (their own customer only)');
  return applyDecorators(
    Roles(...roles),
    ...(options.customers ? [CustomersAllowed()] : []),
    ApiOperation({ summary, description: [who.join('; ') + '.', options.description].filter(Boolean).join('\n\n') }),
  );
}

/** The staff who work tickets (change them, comment, use macros). */
export const TICKET_WORKERS: readonly StaffRole[] = [StaffRole.AdminAgent, StaffRole.HelpdeskAgent];
