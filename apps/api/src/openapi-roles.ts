import { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { CUSTOMERS_KEY, CUSTOMERS_ONLY_KEY, PUBLIC_KEY, ROLES_KEY, StaffRole } from '@helpdesk/auth';

/** Who may call a route, as the AuthGuard decides it from the route's decorators. */
export function rolesOf(reflector: Reflector, handler: object, controller: object): string[] {
  const targets = [handler, controller] as Array<() => void>;
  if (reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return ['public'];
  if (reflector.getAllAndOverride<boolean>(CUSTOMERS_ONLY_KEY, targets)) return ['customer'];
  const roles = reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, targets);
  const staff = roles ? [...new Set([StaffRole.GlobalAdmin, ...roles])] : ['any staff role'];
  return reflector.getAllAndOverride<boolean>(CUSTOMERS_KEY, targets) ? [...staff, 'customer'] : staff;
}

/**
 * Writes every operation's roles into the OpenAPI document — `x-roles` and a line of its
 * description — read from the same decorators the AuthGuard reads, so the document cannot drift
 * from what is enforced. The services may narrow further (a global_admin is changed by a
 * global_admin only, billing_admin works billing tickets only, …); their descriptions say so.
 */
export function documentRoles(app: INestApplication, document: OpenAPIObject): void {
  const reflector = app.get(Reflector);
  const operations = new Map<string, { description?: string; 'x-roles'?: string[] }>();
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (operation && typeof operation === 'object' && 'operationId' in operation) operations.set(String(operation.operationId), operation);
    }
  }
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype, instance } of module.controllers.values()) {
      if (!metatype || !instance) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const id = `${metatype.name}_${name}`;
        const roles = rolesOf(reflector, handler, metatype);
        for (const [operationId, operation] of operations) {
          if (operationId !== id && !operationId.startsWith(`${id}_`)) continue;
          operation['x-roles'] = roles;
          const line = roles[0] === 'public' ? 'Public: no token.' : `Roles: ${roles.join(', ')}.`;
          operation.description = operation.description ? `${line}\n\n${operation.description}` : line;
        }
      }
    }
  }
}
