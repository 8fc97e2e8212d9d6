import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal } from './principal';
import { StaffRole } from './roles';

export const PUBLIC_KEY = 'helpdesk:public';
export const ROLES_KEY = 'helpdesk:roles';
export const CUSTOMERS_KEY = 'helpdesk:customers';
export const CUSTOMERS_ONLY_KEY = 'helpdesk:customers-only';

/** No token needed (health, signed callbacks). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Staff with one of these roles (global_admin always may). Without it, any staff role may. */
export const Roles = (...roles: StaffRole[]) => SetMetadata(ROLES_KEY, roles);

/** Customer tokens may call this route too (the service scopes what they see). */
export const CustomersAllowed = () => SetMetadata(CUSTOMERS_KEY, true);

/** Customers only (their portal session, their own offering): every staff role is refused (403). */
export const CustomersOnly = () => applyDecorators(SetMetadata(CUSTOMERS_KEY, true), SetMetadata(CUSTOMERS_ONLY_KEY, true));

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
