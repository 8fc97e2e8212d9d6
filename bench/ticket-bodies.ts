/**
 * Realistic, varied ticket requests for the intake benchmark: English and Spanish, short to very
 * long descriptions, random category/product/severity/channel, some with an externalId (a mail
 * Message-ID or a PSA ticket id), a few re-deliveries of an externalId (idempotent repeats), and
 * an Idempotency-Key on part of the API-channel traffic.
 */
import type autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';

export interface BenchCustomer {
  id: string;
  domain: string;
  token?: string;
}

export interface TicketRequest {
  token: string;
  body: string;
  idempotencyKey?: string;
  /** An externalId that was sent before for this customer: 200 with the original is expected. */
  repeat: boolean;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const chance = (p: number) => Math.random() < p;

function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): () => T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = Math.random() * total;
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries[entries.length - 1][0];
  };
}

const PRODUCTS = ['Azure', 'Microsoft 365', 'Dynamics 365', 'Exchange Online', 'Teams', 'SharePoint', 'Intune', 'Entra ID', 'Power BI', 'Defender'];
const FIRST = ['Marta', 'Javier', 'Lucía', 'Sergio', 'Carmen', 'Pablo', 'Emma', 'Oliver', 'Sophie', 'James', 'Aisha', 'Noah', 'Íñigo', 'Begoña', 'Chloé'];
const LAST = ['López', 'García', 'Fernández', 'Martínez', 'Smith', 'Johnson', 'Brown', 'Núñez', 'Muñoz', 'Wilson', 'Taylor', 'Ibáñez'];

const SUBJECTS_EN = [
  (p: string) => `Cannot sign in to ${p}`,
  (p: string) => `${p}: users get error AADSTS50076 since this morning`,
  (p: string) => `Invoice for ${p} shows the wrong number of licences`,
  (p: string) => `Please add 25 seats to our ${p} subscription`,
  (p: string) => `${p} tenant migration stuck at 60%`,
  (p: string) => `Urgent: production VM in West Europe unreachable (${p})`,
  (p: string) => `Question about the renewal date of ${p}`,
  (_p: string) => `Mailbox quota exceeded for the finance team`,
  (p: string) => `Need a credit note for last month's ${p} overage`,
  (p: string) => `${p} admin portal returns HTTP 500 when assigning licences to a security group with more than 5,000 members`,
  () => 'Help',
  () => 'MFA reset for a user who lost her phone',
];
const SUBJECTS_ES = [
  (p: string) => `No puedo iniciar sesión en ${p}`,
  (p: string) => `La factura de ${p} de este mes tiene un importe incorrecto`,
  (p: string) => `Ampliar la suscripción de ${p} a 40 licencias`,
  (p: string) => `Error al sincronizar el calendario de ${p} con los móviles de la oficina de Sevilla`,
  (p: string) => `Urgente: caída del servicio ${p} en producción`,
  (p: string) => `¿Cuándo se renueva nuestro contrato de ${p}?`,
  (p: string) => `Cambio de titular de la facturación de ${p}`,
  (_p: string) => `Los usuarios no reciben correos externos desde las 9:00`,
  () => 'Consulta',
  () => 'Restablecer el MFA de un empleado que ha cambiado de teléfono',
];
const SENTENCES_EN = [
  'Since this morning nobody in accounting can open Outlook on the web.',
  'We already cleared the browser cache and tried in a private window, with the same result.',
  'The error appears right after entering the password; the MFA prompt never shows up.',
  'This is blocking the month-end close, so we would appreciate a quick answer.',
  'Our reseller agreement says the licences should have been prorated, but the invoice charges the full month.',
  'Attached is the screenshot of the admin centre showing 120 assigned licences while we only bought 100.',
  'The virtual machine stopped answering at 03:12 UTC and the boot diagnostics show a kernel panic.',
  'Could you confirm whether the renewal will keep the current price or move to the new list price?',
  'We opened a similar case last quarter and it was solved by resetting the sync, but that does not work now.',
  'Please call me back on +44 20 7946 0018 between 9 and 5.',
  'Three users in the London office are affected; the rest of the company works normally.',
  'We need this change before Friday because the new hires start on Monday.',
];
const SENTENCES_ES = [
  'Desde esta mañana nadie del departamento de contabilidad puede abrir Outlook en la web.',
  'Ya hemos borrado la caché del navegador y probado en una ventana privada, con el mismo resultado.',
  'El error aparece justo después de introducir la contraseña; nunca llega la petición de MFA.',
  'Esto bloquea el cierre de mes, así que agradeceríamos una respuesta rápida.',
  'Según nuestro contrato de distribuidor las licencias deberían prorratearse, pero la factura cobra el mes completo.',
  'Adjuntamos la captura del centro de administración con 120 licencias asignadas aunque solo compramos 100.',
  'La máquina virtual dejó de responder a las 03:12 UTC y el diagnóstico de arranque muestra un kernel panic.',
  '¿Podéis confirmar si la renovación mantiene el precio actual o pasa a la nueva tarifa?',
  'Abrimos un caso parecido el trimestre pasado y se resolvió reiniciando la sincronización, pero ahora no funciona.',
  'Por favor, llamadme al +34 954 000 123 entre las 9:00 y las 18:00.',
  'Afecta a tres usuarios de la oficina de Madrid; el resto de la empresa trabaja con normalidad.',
  'Necesitamos el cambio antes del viernes porque los nuevos empleados se incorporan el lunes.',
];
const LOG_LINES = [
  '2026-11-25T08:14:02.331Z ERROR [SyncAgent] Delta sync failed: 0x8023134a (ObjectTypeMismatch) for object CN=Ana Ruiz,OU=Sales,DC=contoso,DC=local',
  '2026-11-25T08:14:02.512Z WARN  [Connector] Retrying export batch 17/42 after HTTP 429 (Retry-After: 30)',
  '2026-11-25T08:14:33.020Z ERROR [Graph] POST https://graph.microsoft.com/v1.0/users/assignLicense → 400 Bad Request: License assignment failed because service plans are mutually exclusive',
  'Correlation ID: 7f3c2a1e-9b8d-4c6f-a2e1-5d4b3c2a1f0e  Timestamp: 2026-11-25 08:15:10Z  Message: AADSTS50076',
];

const category = weighted([['billing', 3], ['subscription_management', 2], ['technical', 5], [undefined, 1.5]] as const);
const product = weighted([['azure', 4], ['microsoft_365', 5], ['dynamics_365', 2], ['other', 1], [undefined, 1.5]] as const);
const severity = weighted([['P1', 0.5], ['P2', 2], ['P3', 5], ['P4', 2.5], [undefined, 3]] as const);
const staffChannel = weighted([['email', 5], ['phone', 2], ['api', 3], [undefined, 1]] as const);

function description(spanish: boolean): string {
  const bank = spanish ? SENTENCES_ES : SENTENCES_EN;
  const r = Math.random();
  // 50 % one or two sentences, 35 % a paragraph or three, 12 % a long story, 3 % pasted logs.
  const sentences = r < 0.5 ? 1 + Math.floor(Math.random() * 2) : r < 0.85 ? 3 + Math.floor(Math.random() * 8) : r < 0.97 ? 20 + Math.floor(Math.random() * 40) : 40;
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) parts.push(pick(bank) + (i % 4 === 3 ? '\n\n' : ' '));
  if (r >= 0.97) {
    const logs: string[] = [];
    const lines = 40 + Math.floor(Math.random() * 60);
    for (let i = 0; i < lines; i++) logs.push(pick(LOG_LINES));
    parts.push('\n\n```\n', logs.join('\n'), '\n```\n');
  }
  return parts.join('').trim().slice(0, 20_000);
}

/** Produces one request after another; `skew` makes a few customers file most tickets. */
export function ticketRequests(customers: BenchCustomer[], staffToken: string): () => TicketRequest {
  const run = randomBytes(3).toString('hex');
  let n = 0;
  const sentExternalIds: Array<Array<{ externalId: string; body: string; token: string }>> = customers.map(() => []);
  return () => {
    n++;
    // Zipf-like: customer k is chosen with weight 1/(k+1).
    let idx = Math.floor(customers.length * Math.pow(Math.random(), 2));
    if (idx >= customers.length) idx = customers.length - 1;
    const customer = customers[idx];
    const sent = sentExternalIds[idx];

    // 1 %: a connector re-delivers a message it already sent (same body, same externalId) → 200.
    if (sent.length > 0 && chance(0.01)) {
      const prior = pick(sent);
      return { token: prior.token, body: prior.body, repeat: true };
    }

    const spanish = chance(0.4);
    const p = pick(PRODUCTS);
    const subject = (spanish ? pick(SUBJECTS_ES) : pick(SUBJECTS_EN))(p).slice(0, 200);
    const first = pick(FIRST);
    const last = pick(LAST);
    const requester = {
      name: `${first} ${last}`,
      email: `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase() + `@${customer.domain}`,
    };
    const byCustomer = customer.token !== undefined && chance(0.4);
    const channel = byCustomer ? (chance(0.7) ? 'portal' : undefined) : staffChannel();
    const body: Record<string, unknown> = {
      ...(byCustomer ? {} : { customerId: customer.id }),
      subject,
      description: description(spanish),
      category: category(),
      product: product(),
      severity: severity(),
      channel,
      requester,
    };
    let externalId: string | undefined;
    if (channel === 'email' && chance(0.6)) externalId = `<${run}.${n}.${randomBytes(4).toString('hex')}@mail.${customer.domain}>`;
    else if (channel === 'api' && chance(0.7)) externalId = `PSA-${run}-${n}`;
    else if (chance(0.05)) externalId = `${run}-${n}`;
    if (externalId) body.externalId = externalId;
    const json = JSON.stringify(body);
    const token = byCustomer ? customer.token! : staffToken;
    if (externalId) {
      if (sent.length >= 200) sent.splice(0, 100);
      sent.push({ externalId, body: json, token });
    }
    const idempotencyKey = channel === 'api' && !externalId ? `bench-${run}-${n}` : undefined;
    return { token, body: json, idempotencyKey, repeat: false };
  };
}

/** The autocannon request that POSTs `next()`'s tickets, each with its token and Idempotency-Key. */
export function ticketPost(next: () => TicketRequest, onResponse?: (status: number, body: string) => void): autocannon.Request {
  return {
    method: 'POST',
    path: '/api/v1/tickets',
    setupRequest: (request) => {
      const r = next();
      request.body = r.body;
      request.headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${r.token}`,
        ...(r.idempotencyKey ? { 'idempotency-key': r.idempotencyKey } : {}),
      };
      return request;
    },
    onResponse,
  };
}
