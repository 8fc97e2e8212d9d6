import { DomainError } from '@helpdesk/http';
import { checkMacroBody, RENDERED_TEMPLATES_KEPT, renderedTemplatesKept, renderMacroBody, renderTemplate } from './macro-template';

const values = { 'customer.name': 'Contoso <Ltd> & Co', 'ticket.number': 'HD-000042', 'agent.name': 'Ana', 'plan.hours': 'Mon–Fri 09:00–18:00 (Europe/Madrid)' };

const refusal = (body: string): { field: string; message: string; code?: string; params?: Record<string, unknown> } => {
  try {
    checkMacroBody(body, 'bodies.en');
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).extensions.errors![0];
  }
  throw new Error(`accepted: ${body}`);
};

describe('macro bodies', () => {
  it('renders the four placeholders as plain text, unescaped', () => {
    const body = 'Hi {{customer.name}}, {{ticket.number}} is with {{ agent.name }} ({{{plan.hours}}}; {{&plan.hours}}).';
    expect(() => checkMacroBody(body, 'bodies.en')).not.toThrow();
    expect(renderMacroBody(body, values)).toBe('Hi Contoso <Ltd> & Co, HD-000042 is with Ana (Mon–Fri 09:00–18:00 (Europe/Madrid); Mon–Fri 09:00–18:00 (Europe/Madrid)).');
  });

  it('names unknown placeholders and the field', () => {
    expect(refusal('Hello {{customer.email}} and {{ticket.secret}}')).toEqual({
      field: 'bodies.en',
      message: expect.stringContaining('unknown placeholder {{customer.email}}, {{ticket.secret}}'),
      code: 'unknownPlaceholder',
      params: { placeholders: ['{{customer.email}}', '{{ticket.secret}}'], allowed: ['{{customer.name}}', '{{ticket.number}}', '{{agent.name}}', '{{plan.hours}}'] },
    });
    expect(refusal('{{constructor}}').message).toContain('{{constructor}}');
  });

  it('refuses sections, partials, comments, delimiter changes and broken tags', () => {
    expect(refusal('{{#customer}}{{name}}{{/customer}}').message).toMatch(/sections|unknown placeholder/);
    expect(refusal('{{#ticket.number}}x{{/ticket.number}}').message).toContain('sections');
    expect(refusal('{{^agent.name}}x{{/agent.name}}')).toMatchObject({ message: expect.stringContaining('inverted sections'), code: 'onlyPlaceholders', params: { tags: ['{{^…}}'] } });
    expect(refusal('{{> header}}').message).toContain('partials');
    expect(refusal('{{! note }}').message).toContain('comments');
    expect(refusal('{{=<% %>=}}<% agent.name %>').message).toContain('delimiter');
    expect(refusal('Hello {{customer.name').message).toContain('not a valid template');
  });

  it('leaves text that only looks like a template alone', () => {
    expect(renderMacroBody('Use { and } freely: {x}', values)).toBe('Use { and } freely: {x}');
  });

  it('renders a template kept parsed with each call\'s values, and keeps no more than RENDERED_TEMPLATES_KEPT templates', () => {
    const body = 'Hola {{customer.name}}, {{ticket.number}}.';
    expect(renderTemplate(body, { 'customer.name': 'Contoso', 'ticket.number': 'HD-000001' })).toBe('Hola Contoso, HD-000001.');
    expect(renderTemplate(body, { 'customer.name': 'Fabrikam', 'ticket.number': 'HD-000002' })).toBe('Hola Fabrikam, HD-000002.');
    // A template edited since: the new text, not the one parsed before.
    expect(renderTemplate('Hello {{customer.name}}!', { 'customer.name': 'Fabrikam' })).toBe('Hello Fabrikam!');
    for (let i = 0; i < RENDERED_TEMPLATES_KEPT + 50; i++) expect(renderTemplate(`Template ${i}: {{ticket.number}}`, { 'ticket.number': `HD-${i}` })).toBe(`Template ${i}: HD-${i}`);
    expect(renderedTemplatesKept()).toBe(RENDERED_TEMPLATES_KEPT);
    // The first ones were let go, and render again as they say.
    expect(renderTemplate(body, { 'customer.name': 'Northwind', 'ticket.number': 'HD-000003' })).toBe('Hola Northwind, HD-000003.');
    expect(renderedTemplatesKept()).toBe(RENDERED_TEMPLATES_KEPT);
  });
});
