import { composeNoticeMail, noticeMailKind } from './billing-notice-compose';
import { composeNotification } from './notification-templates';
import { composeStaffNotification } from './staff-notification-templates';

const facts = { number: 'HD-000042', subject: 'VPN\r\ndown', requesterName: 'Marta\nLópez', reply: 'Reiniciado.\nPruebe.', agentName: 'Ana' };

describe('built-in notifications', () => {
  it('word each customer kind in the contact’s language, one-line subjects with the ticket number', () => {
    expect(composeNotification('resolved', 'es', facts)).toEqual({
      subject: '[HD-000042] Solicitud resuelta: VPN down',
      body: 'Hola, Marta López:\n\nHemos resuelto su solicitud HD-000042 ("VPN down").\n\nSi el problema continúa, responda a este correo manteniendo [HD-000042] en el asunto y la reabriremos.\n',
    });
    expect(composeNotification('public_reply', 'en', facts)).toEqual({
      subject: 'Re: [HD-000042] VPN down',
      body: 'Reiniciado.\nPruebe.\n\nAna, support\n\nReply to this e-mail to answer; keep [HD-000042] in the subject.\n',
    });
    expect(composeNotification('waiting_on_customer', 'en', facts).subject).toBe('[HD-000042] Waiting on you: VPN down');
  });

  it('tells the plan in the acknowledgement as its own paragraph', () => {
    const plan = { planName: 'Oro', priority: 'P2' as const, hours: 'Mon–Fri 09:00–18:00 (Europe/Madrid)', holidays: [], firstResponse: '4 hours', resolution: '24 hours', businessTime: true };
    const { body } = composeNotification('ticket_received', 'en', { ...facts, plan });
    expect(body).toContain('An agent will answer soon.\n\nYour support plan (Oro):\n- Hours of service: Mon–Fri 09:00–18:00 (Europe/Madrid)\n');
    expect(body).toContain('Targets count the hours of service only.\n\nTo add anything, reply');
  });

  it('uses an admin’s template when given one', () => {
    expect(composeNotification('resolved', 'en', facts, { subject: '[{{ticket.number}}] Done', body: 'Bye {{recipient.name}}' })).toEqual({ subject: '[HD-000042] Done', body: 'Bye Marta López' });
  });

  it('greets the billing contact around the notice', () => {
    const notice = { id: 'n1', customerId: 'c1', kind: 'remind' as const, locale: 'es' as const, recipient: { name: 'Laura', email: 'l@example.com' }, subject: 'Recordatorio\r\nde pago', body: 'Factura FAC-1.', repliesTo: null };
    expect(composeNoticeMail(notice)).toEqual({
      subject: 'Recordatorio de pago',
      body: 'Hola, Laura:\n\nFactura FAC-1.\n\nSi ya ha realizado el pago, ignore este mensaje. Para cualquier duda sobre la factura, responda a este correo.\n',
    });
  });

  it('mails a suspension and its end with their own templates', () => {
    const base = { id: 'n2', customerId: 'c1', locale: 'en' as const, recipient: { name: 'Tom', email: 't@example.com' }, repliesTo: null };
    const suspended = composeNoticeMail({ ...base, kind: 'suspension', subject: 'Service suspended for non-payment', body: 'We have suspended access.' });
    expect(suspended.subject).toBe('Service suspended for non-payment');
    expect(suspended.body).toBe('Hello Tom,\n\nWe have suspended access.\n\nIf you have already paid, reply to this e-mail with the proof of payment and we will look into it. For any question, reply to this e-mail.\n');
    const restored = composeNoticeMail({ ...base, kind: 'restoration', locale: 'es', subject: 'Servicio restablecido', body: 'Hemos restablecido el acceso.', repliesTo: 'n2' });
    expect(restored.body).toBe('Hola, Tom:\n\nHemos restablecido el acceso.\n\nPara cualquier duda, responda a este correo.\n');
    expect(noticeMailKind({ kind: 'final_notice' })).toBe('billing_notice');
  });
});

describe('staff notifications', () => {
  it('say a ticket is assigned, in English then Spanish, naming who assigned it', () => {
    const mail = composeStaffNotification({ kind: 'assigned', facts: { number: 'HD-000042', subject: 'VPN\ndown', priority: 'P2', customerName: 'Contoso', assignedBy: 'Ana' } });
    expect(mail.subject).toBe('[HD-000042] Assigned to you / Asignada a usted: VPN down');
    expect(mail.body).toContain('is now yours: Ana assigned it to you.');
    expect(mail.body).toContain('es ahora suya: Ana se la ha asignado.');
    const bySystem = composeStaffNotification({ kind: 'assigned', facts: { number: 'HD-000042', subject: 'x', priority: 'P2', customerName: 'Contoso', assignedBy: null } });
    expect(bySystem.body).toContain('is now yours: the helpdesk assigned it to you when it routed it to your queue.\n');
    expect(bySystem.body).toContain('es ahora suya: el servicio de soporte se la ha asignado al enviarla a su cola.\n');
  });

  it('say it in the agent’s language alone when they chose one', () => {
    const facts = { number: 'HD-000042', subject: 'VPN down', priority: 'P2', customerName: 'Contoso', assignedBy: null };
    const es = composeStaffNotification({ kind: 'assigned', facts }, 'es');
    expect(es.subject).toBe('[HD-000042] Asignada a usted: VPN down');
    expect(es.body).toBe('La solicitud HD-000042 "VPN down" de Contoso (prioridad P2) es ahora suya: el servicio de soporte se la ha asignado al enviarla a su cola.\n');
    const en = composeStaffNotification({ kind: 'assigned', facts: { ...facts, assignedBy: 'Ana' } }, 'en');
    expect(en.subject).toBe('[HD-000042] Assigned to you: VPN down');
    expect(en.body).toBe('Ticket HD-000042 "VPN down" of Contoso (priority P2) is now yours: Ana assigned it to you.\n');
  });

  it('name the target at risk and the failed escalation’s error on one line', () => {
    const warning = composeStaffNotification({ kind: 'sla_warning', facts: { number: 'HD-1', subject: 's', priority: 'P1', queue: 'billing-es', customerName: 'C', target: 'resolution', dueAt: new Date('2026-12-07T10:00:00Z') } });
    expect(warning.body).toContain('its resolution target, due December 7, 2026');
    expect(warning.body).toContain('plazo de resolución, que vence el 7 de diciembre de 2026');
    const failed = composeStaffNotification({ kind: 'escalation_failed', facts: { number: 'HD-1', subject: 's', tier: 'commercial', attempts: 3, error: 'HTTP 502\r\nBad', queue: null } });
    expect(failed.subject).toBe('[HD-1] Escalation failed / Escalado fallido: s');
    expect(failed.body).toContain('after 3 attempt(s): HTTP 502 Bad\n');
    expect(failed.body).toContain('You get this as a manager.');
  });
});
