import { MailFacts, notForTicket } from './mail-classifier';

const mail = (headers: Record<string, string>, extra: Partial<MailFacts> = {}): MailFacts => ({
  header: (name) => headers[name],
  from: 'marta@contoso.example',
  messageId: '<abc@contoso.example>',
  ...extra,
});

describe('notForTicket', () => {
  it('lets an ordinary message through', () => {
    expect(notForTicket(mail({ 'auto-submitted': 'no', precedence: 'normal' }), 'helpdesk.test')).toBeNull();
  });

  it('recognises auto-replies by Auto-Submitted, Precedence and X-Autoreply', () => {
    expect(notForTicket(mail({ 'auto-submitted': 'auto-replied' }), 'helpdesk.test')).toBe('auto_reply');
    expect(notForTicket(mail({ precedence: 'bulk' }), 'helpdesk.test')).toBe('auto_reply');
    expect(notForTicket(mail({ precedence: 'auto_reply' }), 'helpdesk.test')).toBe('auto_reply');
    expect(notForTicket(mail({ 'x-autoreply': 'yes' }), 'helpdesk.test')).toBe('auto_reply');
    expect(notForTicket(mail({ 'x-auto-response-suppress': 'OOF' }), 'helpdesk.test')).toBe('auto_reply');
  });

  it('recognises bounces by sender and by delivery status report', () => {
    expect(notForTicket(mail({}, { from: 'MAILER-DAEMON@mx.contoso.example' }), 'helpdesk.test')).toBe('bounce');
    expect(notForTicket(mail({}, { from: 'postmaster@contoso.example' }), 'helpdesk.test')).toBe('bounce');
    expect(notForTicket(mail({}, { contentType: 'multipart/report; report-type=delivery-status; boundary="x"' }), 'helpdesk.test')).toBe('bounce');
  });

  it('recognises our own notifications coming back as a loop', () => {
    expect(notForTicket(mail({ 'x-helpdesk-notification': 'ticket-received' }), 'helpdesk.test')).toBe('loop');
    expect(notForTicket(mail({}, { messageId: '<hd.x.y@Helpdesk.test>' }), 'helpdesk.test')).toBe('loop');
  });
});
