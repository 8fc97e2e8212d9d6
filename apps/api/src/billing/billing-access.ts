import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse, ApiOperation } from '@nestjs/swagger';
import { CustomersAllowed, Roles, StaffRole } from '@helpdesk/auth';

const WRITERS = [StaffRole.GlobalAdmin, StaffRole.BillingAdmin];
const READERS = [StaffRole.GlobalAdmin, StaffRole.BillingAdmin, StaffRole.SalesAgent];

/**
 * Who may call a billing route, enforced (Roles) and published in the OpenAPI document (the
 * operation's description and `x-roles`): billing_admin and global_admin write billing; sales_agent
 * also reads; customer tokens read their own account where `customers` says so (another
 * customer's records are a 404 for them); every other role is refused (403).
 */
function access(summary: string, roles: StaffRole[], customers: boolean) {
  const who = [...roles, ...(customers ? ['customer (own records only)'] : [])];
  return applyDecorators(
    Roles(...roles.filter((r) => r !== StaffRole.GlobalAdmin)),
    ...(customers ? [CustomersAllowed()] : []),
    ApiOperation({ summary, description: `Roles: ${who.join(', ')}.` }),
    ApiExtension('x-roles', who),
    ApiForbiddenResponse({ description: `Any other role${customers ? '' : ' and customer tokens'}` }),
  );
}

export const BillingWrite = (summary: string) => access(summary, WRITERS, false);
export const BillingRead = (summary: string, options: { customers?: boolean } = {}) => access(summary, READERS, options.customers === true);
