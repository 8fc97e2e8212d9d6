import { StaffRole } from './roles';

/** Who is calling: a staff member with roles, or a customer's token scoped to that customer. */
export type Principal =
  | { kind: 'staff'; agentId: string; roles: StaffRole[]; tokenId: string }
  | {
      kind: 'customer';
      customerId: string;
      tokenId: string;
      /** The contact who signed in to the portal with a mailed link (a token stands for the whole customer). */
      contactId?: string;
    };

export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
export type CustomerPrincipal = Extract<Principal, { kind: 'customer' }>;

/** How a change is attributed on a timeline. */
export interface Actor {
  kind: 'staff' | 'customer' | 'system';
  id: string | null;
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'staff'
    ? { kind: 'staff', id: principal.agentId }
    : { kind: 'customer', id: principal.customerId };
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null };

export function hasRole(principal: Principal, roles: readonly StaffRole[]): boolean {
  if (principal.kind !== 'staff') return false;
  return principal.roles.includes(StaffRole.GlobalAdmin) || principal.roles.some((r) => roles.includes(r));
}
