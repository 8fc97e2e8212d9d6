import { describe, expect, it } from '@jest/globals';
import { agentDraftOf, rebaseDraft } from './agent-draft';

const saved = agentDraftOf({ queues: ['billing'], maxOpenTickets: 10, available: true, roles: ['helpdesk_agent'], locale: 'es' });

describe('an agent card’s form when the saved agent changes under it', () => {
  it('follows the saved agent in every field the admin has not touched', () => {
    const latest = { ...saved, available: false, cap: '12' };
    expect(rebaseDraft(saved, saved, latest, [])).toEqual({ form: latest, changed: [] });
  });

  it('keeps the admin’s edit and names a field the saved agent changed too, while the untouched ones follow', () => {
    const form = { ...saved, queues: 'billing, azure' };
    const latest = { ...saved, queues: 'technical', available: false };
    expect(rebaseDraft(form, saved, latest, [])).toEqual({ form: { ...latest, queues: 'billing, azure' }, changed: ['queues'] });
  });

  it('names nothing when the saved agent changed to what the admin typed (spacing and order aside), or changed another field', () => {
    const form = { ...saved, queues: 'billing,azure', roles: ['admin_agent', 'helpdesk_agent'] };
    const latest = { ...saved, queues: 'billing, azure', roles: ['helpdesk_agent', 'admin_agent'] };
    expect(rebaseDraft(form, saved, latest, [])).toEqual({ form, changed: [] });
    const elsewhere = { ...saved, locale: 'en' };
    expect(rebaseDraft({ ...saved, cap: '3' }, saved, elsewhere, [])).toEqual({ form: { ...elsewhere, cap: '3' }, changed: [] });
  });

  it('keeps naming a changed field through later changes to other fields', () => {
    const form = { ...saved, cap: '3' };
    const first = { ...saved, cap: '20' };
    const { form: kept, changed } = rebaseDraft(form, saved, first, []);
    expect(changed).toEqual(['cap']);
    const second = { ...first, available: false };
    expect(rebaseDraft(kept, first, second, changed)).toEqual({ form: { ...second, cap: '3' }, changed: ['cap'] });
  });
});
