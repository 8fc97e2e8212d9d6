import type { Priority, TicketStatus } from '@helpdesk/intake';

export type MacroScope = 'personal' | 'shared';
export type MacroVisibility = 'public' | 'internal';
export const MACRO_SCOPES: readonly MacroScope[] = ['personal', 'shared'];
export const MACRO_VISIBILITIES: readonly MacroVisibility[] = ['public', 'internal'];

/** The ticket changes a macro makes when applied (by the rules of PATCH /tickets/:id). */
export interface MacroActions {
  status?: TicketStatus;
  priority?: Priority;
  addTags?: string[];
  /** null unassigns. */
  assigneeId?: string | null;
}

export interface MacroInput {
  name: string;
  /** The comment, in Spanish and in English: the customer's locale picks one. */
  bodies: { es: string; en: string };
  visibility: MacroVisibility;
  scope: MacroScope;
  actions: MacroActions;
}

/** A change of a macro: any field, and either body. */
export type MacroPatch = Partial<Omit<MacroInput, 'bodies'>> & { bodies?: Partial<MacroInput['bodies']> };

export interface MacroView extends MacroInput {
  id: string;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

export interface MacroRow {
  id: string;
  name: string;
  scope: MacroScope;
  visibility: MacroVisibility;
  owner_id: string;
  bodies: MacroInput['bodies'];
  actions: MacroActions;
  created_at: Date;
  updated_at: Date;
}

export const toMacroView = (r: MacroRow): MacroView => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  visibility: r.visibility,
  ownerId: r.owner_id,
  bodies: r.bodies,
  actions: r.actions,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});
