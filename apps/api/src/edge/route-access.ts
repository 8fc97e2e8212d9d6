import type { Type } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CUSTOMERS_KEY, CUSTOMERS_ONLY_KEY, PUBLIC_KEY, ROLES_KEY, StaffRole } from '@helpdesk/auth';

/** What a Nest route declares about its callers, read from its decorators (method over class). */
export interface RouteAccess {
  controller: Type;
  handler: (...args: unknown[]) => unknown;
  /** @Public(): no token needed (health, signed callbacks, the stream's own check, metrics). */
  public: boolean;
  /** @CustomersAllowed(): customer tokens may call it too. */
  customers: boolean;
  /** @CustomersOnly(): no staff role at all (403). */
  customersOnly: boolean;
  /** @Roles(...): staff with one of these (global_admin always); undefined = any staff role. */
  roles?: StaffRole[];
}

const ACCESS = 'helpdeskAccess';

/** A route Nest registered, as Fastify routes it, with what it declares. */
export interface RecordedRoute {
  method: string;
  url: string;
  access: RouteAccess;
  /** The route's Fastify config (Nest's @RouteConfig), e.g. `anyContentType` on signed callbacks. */
  config: Readonly<Record<string, unknown>>;
}

const TABLES = new WeakMap<object, RecordedRoute[]>();

/**
 * Gives every Fastify route that Nest registers its RouteAccess, in the route's `config`, so that a
 * Fastify hook (which runs before the body is read, long before Nest's guards) knows whether it
 * needs a token. Nest names each route handler `Controller.method`; that name is looked up among
 * the controllers of the application. Must be installed before the routes are registered.
 */
export function recordRouteAccess(fastify: FastifyInstance, modules: ModulesContainer, reflector: Reflector): void {
  let byName: Map<string, { controller: Type; handler: (...args: unknown[]) => unknown }> | undefined;
  const table: RecordedRoute[] = [];
  TABLES.set(fastify, table);
  fastify.addHook('onRoute', (route) => {
    byName ??= controllerMethods(modules);
    const found = byName.get(route.handler.name);
    if (!found) return;
    const targets = [found.handler, found.controller];
    const access: RouteAccess = {
      ...found,
      public: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
      customers: reflector.getAllAndOverride<boolean>(CUSTOMERS_KEY, targets) === true,
      customersOnly: reflector.getAllAndOverride<boolean>(CUSTOMERS_ONLY_KEY, targets) === true,
      roles: reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, targets),
    };
    const config = { ...(route.config as object), [ACCESS]: access };
    route.config = config as typeof route.config;
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access, config });
  });
}

/** Every route Nest registered on this Fastify instance, with what it declares (the security probes walk it). */
export function routeTable(fastify: FastifyInstance): readonly RecordedRoute[] {
  return TABLES.get(fastify) ?? [];
}

function controllerMethods(modules: ModulesContainer): Map<string, { controller: Type; handler: (...args: unknown[]) => unknown }> {
  const out = new Map<string, { controller: Type; handler: (...args: unknown[]) => unknown }>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[method];
        if (method !== 'constructor' && typeof handler === 'function') out.set(`${wrapper.name}.${method}`, { controller, handler: handler as (...args: unknown[]) => unknown });
      }
    }
  }
  return out;
}

/** The RouteAccess of the route a request was routed to; undefined for what Nest does not serve (docs, board, 404). */
export function routeAccessOf(request: FastifyRequest): RouteAccess | undefined {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[ACCESS] as RouteAccess | undefined;
}
