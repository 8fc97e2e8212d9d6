import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { BUILT_IN_TEMPLATES, MAIL_LOCALES, needsTicketNumber, TEMPLATE_KINDS } from './mail-template-catalogue';
import { checkMailTemplate } from './mail-template-check';
import { renderMail } from './mail-template-render';
import { sampleValues } from './mail-template-samples';

const refusal = (kind: (typeof TEMPLATE_KINDS)[number], subject: string, body: string) => {
  try {
    checkMailTemplate(kind, { subject, body });
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(DomainErrorCode.Unprocessable);
    return { ...(error as DomainError).extensions.errors![0], unknown: (error as DomainError).extensions.unknownPlaceholders };
  }
  throw new Error(`accepted: ${subject} / ${body}`);
};

describe('notification templates', () => {
  it('accepts every built-in template, and fills each with the samples of its locale leaving no tag behind', () => {
    for (const kind of TEMPLATE_KINDS) {
      for (const locale of MAIL_LOCALES) {
        const template = BUILT_IN_TEMPLATES[kind][locale];
        expect(() => checkMailTemplate(kind, template)).not.toThrow();
        const mail = renderMail(template, sampleValues(kind, locale));
        expect(`${mail.subject}\n${mail.body}`).not.toMatch(/\{\{|\}\}/);
        if (needsTicketNumber(kind)) expect(mail.subject).toContain('[HD-000123]');
      }
    }
  });

  it('names the field and the unknown placeholder', () => {
    expect(refusal('resolved', '[{{ticket.number}}] ok', 'Hi {{recipient.email}} {{ticket.secret}}')).toEqual({
      field: 'body',
      message: expect.stringContaining('unknown placeholder {{recipient.email}}, {{ticket.secret}}'),
      code: 'unknownPlaceholder',
      params: { placeholders: ['{{recipient.email}}', '{{ticket.secret}}'], allowed: expect.arrayContaining(['{{ticket.number}}', '{{recipient.name}}']) },
      unknown: ['recipient.email', 'ticket.secret'],
    });
    // Each kind has its own: a reply's text is no placeholder of a dunning notice.
    expect(refusal('billing_notice', '{{notice.subject}}', '{{reply.body}}')).toMatchObject({ field: 'body', unknown: ['reply.body'] });
    expect(refusal('public_reply', 'Re: [{{ticket.number}}] {{plan.hours}}', 'x')).toMatchObject({ field: 'subject', unknown: ['plan.hours'] });
  });

  it('keeps the subject one short line that finds its ticket', () => {
    for (const bad of ['\r', '\n', '\r\n', '\u0000', '\t', '\u007f']) {
      expect(refusal('resolved', `[{{ticket.number}}] a${bad}Bcc: x@example.com`, 'x')).toMatchObject({ field: 'subject', message: expect.stringContaining('one line'), code: 'oneLine' });
    }
    expect(refusal('resolved', `[{{ticket.number}}] ${'é'.repeat(190)}`, 'x')).toMatchObject({ field: 'subject', message: expect.stringContaining('200'), code: 'maxLength', params: { max: 200 } });
    expect(() => checkMailTemplate('resolved', { subject: `[{{ticket.number}}] ${'é'.repeat(180)}`, body: 'x' })).not.toThrow();
    expect(refusal('resolved', 'Resolved: {{ticket.subject}}', 'x')).toMatchObject({ field: 'subject', message: expect.stringContaining('[{{ticket.number}}]'), code: 'keepTag', params: { tag: '[{{ticket.number}}]' } });
    expect(() => checkMailTemplate('resolved', { subject: 'Solved [{{ ticket.number }}]', body: 'x' })).not.toThrow();
    // Not a ticket: no number to keep.
    expect(() => checkMailTemplate('billing_notice', { subject: 'Aviso: {{notice.subject}}', body: '{{notice.body}}' })).not.toThrow();
  });

  it('refuses logic and broken tags, and empty parts', () => {
    expect(refusal('resolved', '[{{ticket.number}}]', '{{#ticket.subject}}x{{/ticket.subject}}').message).toContain('sections');
    expect(refusal('resolved', '[{{ticket.number}}]', '{{> footer}}')).toMatchObject({ message: expect.stringContaining('partials'), code: 'onlyPlaceholders', params: { tags: ['{{>…}}'] } });
    expect(refusal('resolved', '[{{ticket.number}}]', 'Hi {{recipient.name')).toMatchObject({ message: expect.stringContaining('not a valid template'), code: 'templateSyntax' });
    expect(refusal('resolved', '[{{ticket.number}}] {{=<% %>=}}', 'x').field).toBe('subject');
    expect(refusal('resolved', '  ', 'x')).toMatchObject({ field: 'subject', code: 'isNotEmpty' });
    expect(refusal('resolved', '[{{ticket.number}}]', ' \n ').field).toBe('body');
  });

  it('makes the filled subject one line whatever a value holds, and prints values as they are', () => {
    const mail = renderMail({ subject: '[{{ticket.number}}] {{reply.body}}', body: '{{reply.body}} <{{recipient.name}}>' }, { 'ticket.number': 'HD-000001', 'reply.body': 'a\r\nBcc: x@example.com & <b>', 'recipient.name': 'Ana & Co' });
    expect(mail.subject).toBe('[HD-000001] a Bcc: x@example.com & <b>');
    expect(mail.body).toBe('a\r\nBcc: x@example.com & <b> <Ana & Co>');
  });
});
