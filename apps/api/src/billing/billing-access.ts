import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiForbiddenResponse, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { CustomersAllowed, Roles, StaffRole } from '@helpdesk/auth';

const WRITERS = [StaffRole.GlobalAdmin, StaffRole.BillingAdmin];
const READERS = [StaffRole.GlobalAdmin, StaffRole.BillingAdmin, StaffRole.SalesAgent];

/**
 * What a billing route answers: a body class (billing-responses.dto.ts), a list of them, or one of
 * several (by caller), with 200; or several statuses (201 created / 200 again; 202 queued / 200 dry
 * run), each its own body.
 */
export type BillingBody = Type<unknown> | [Type<unknown>] | { oneOf: Type<unknown>[] };
interface StatusAnswer {
  status: 200 | 201 | 202;
  type: BillingBody;
  description: string;
}
export type BillingAnswers = BillingBody | StatusAnswer[];

const isStatusList = (spec: BillingAnswers): spec is StatusAnswer[] => Array.isArray(spec) && typeof spec[0] === 'object' && 'status' in spec[0];

function answers(spec: BillingAnswers): Array<MethodDecorator & ClassDecorator> {
  const list: StatusAnswer[] = isStatusList(spec) ? spec : [{ status: 200, type: spec, description: 'OK' }];
  return list.flatMap(({ status, type, description }) =>
    'oneOf' in type
      ? [ApiExtraModels(...type.oneOf), ApiResponse({ status, description, schema: { oneOf: type.oneOf.map((model) => ({ $ref: getSchemaPath(model) })) } })]
      : [ApiResponse({ status, type, description })],
  );
}

/**
 * Who may call a billing route, enforced (Roles, CustomersAllowed; the OpenAPI document's `x-roles`
 * and "Roles:" line come from the same decorators, see openapi-roles.ts): billing_admin and
 * global_admin write billing; sales_agent also reads; customer tokens read their own account where
 * `customers` says so (another customer's records are a 404 for them); every other role is refused
 * (403). The body each answers is documented from `body`.
 */
function access(summary: string, roles: StaffRole[], customers: boolean, body: BillingAnswers) {
  return applyDecorators(
    Roles(...roles.filter((r) => r !== StaffRole.GlobalAdmin)),
    ...(customers ? [CustomersAllowed(), ApiOperation({ summary, description: 'A customer token reads its own records only.' })] : [ApiOperation({ summary })]),
    ApiForbiddenResponse({ description: `Any other role${customers ? '' : ' and customer tokens'}` }),
    ...answers(body),
  );
}

export const BillingWrite = (summary: string, body: BillingAnswers) => access(summary, WRITERS, false, body);
export const BillingRead = (summary: string, body: BillingAnswers, options: { customers?: boolean } = {}) => access(summary, READERS, options.customers === true, body);
