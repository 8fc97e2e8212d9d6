import { joinList, splitList } from '../ui/lists';

/** An agent card's form: what an admin edits, as typed (the cap as text, the queues as a list typed as text). */
export interface AgentDraft {
  queues: string;
  cap: string;
  available: boolean;
  roles: string[];
  /** '' is none chosen (null in the API). */
  locale: string;
}

export type AgentDraftField = keyof AgentDraft;

export const AGENT_DRAFT_FIELDS: readonly AgentDraftField[] = ['roles', 'queues', 'cap', 'locale', 'available'];

export function agentDraftOf(agent: { queues: string[]; maxOpenTickets: number; available: boolean; roles: string[]; locale?: string | null }): AgentDraft {
  return { queues: joinList(agent.queues), cap: String(agent.maxOpenTickets), available: agent.available, roles: [...agent.roles], locale: agent.locale ?? '' };
}

/** Whether a field says the same in two drafts: the same queues however they are spaced, the same roles in any order. */
export function sameField(field: AgentDraftField, a: AgentDraft, b: AgentDraft): boolean {
  switch (field) {
    case 'queues':
      return joinList(splitList(a.queues)) === joinList(splitList(b.queues));
    case 'roles':
      return [...a.roles].sort().join() === [...b.roles].sort().join();
    case 'cap':
      return a.cap.trim() === b.cap.trim();
    default:
      return a[field] === b[field];
  }
}

export const sameDraft = (a: AgentDraft, b: AgentDraft): boolean => AGENT_DRAFT_FIELDS.every((field) => sameField(field, a, b));

/**
 * The agent as saved now (`latest`), brought into a form being edited from `base` (the agent as it was
 * when the form last followed it): a field the admin has not touched follows the saved agent; a
 * field the admin edited keeps the edit, and when the saved agent changed it too (to something else)
 * it is in `changed`, for the card to say so and the admin to choose — never overwritten silently
 * either way. `changed` keeps earlier such fields until the admin's edit and the saved value agree,
 * or the admin takes the saved value.
 */
export function rebaseDraft(form: AgentDraft, base: AgentDraft, latest: AgentDraft, changed: readonly AgentDraftField[]): { form: AgentDraft; changed: AgentDraftField[] } {
  const next: AgentDraft = { ...form };
  const stillChanged: AgentDraftField[] = [];
  for (const field of AGENT_DRAFT_FIELDS) {
    if (sameField(field, form, base)) {
      Object.assign(next, { [field]: latest[field] });
      continue;
    }
    if (sameField(field, form, latest)) continue;
    if (!sameField(field, base, latest) || changed.includes(field)) stillChanged.push(field);
  }
  return { form: next, changed: stillChanged };
}
