import { applyDecorators } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CustomersAllowed, Roles, StaffRole } from '@helpdesk/auth';

const WRITERS = [StaffRole.GlobalAdmin, StaffRole.BillingAdmin];
const READERS = [StaffRole.GlobalAdmin, StaffRole.BillingAdmin, StaffRole.SalesAgent];

/**
 * Who may call a billing route, enforced (Roles, CustomersAllowed; the OpenAPI document's `x-roles`
 * and "Roles:" line come from the same decorators, see openapi-roles.ts): billing_admin and
 * global_admin write billing; sales_agent also reads; customer tokens read their own account where
 * `customers` says so (another customer's records are a 404 for them); every other role is refused (403).
 */
function access(summary: string, roles: StaffRole[], customers: boolean) {
  return applyDecorators(
    Roles(...roles.filter((r) => r !== StaffRole.GlobalAdmin)),
    ...(customers ? [CustomersAllowed(), ApiOperation({ summary, description: 'A customer token reads its own records only.' })] : [ApiOperation({ summary })]),
    ApiForbiddenResponse({ description: `Any other role${customers ? '' : ' and customer tokens'}` }),
    // The body's fields are not described here yet (libs/billing's views are their definition).
    ApiOkResponse({ description: 'JSON: the record or list the summary names (its schema is not written out yet)', schema: {} }),
  );
}

export const BillingWrite = (summary: string) => access(summary, WRITERS, false);
export const BillingRead = (summary: string, options: { customers?: boolean } = {}) => access(summary, READERS, options.customers === true);
