import { describe, expect, it } from '@jest/globals';
import i18next from 'i18next';
import en from '../i18n/en.json';
import es from '../i18n/es.json';
import { fieldErrorText, problemText } from './field-errors';

async function language(lng: 'es' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { es: { translation: es }, en: { translation: en } }, fallbackLng: false, interpolation: { escapeValue: false } });
  return i18n;
}

/** Every code the API sends for a field, in its OpenAPI document (FieldErrorDto.code), but `invalid`, which has no words of its own. */
const CODES =
  'isLength minLength maxLength min max arrayMinSize arrayMaxSize arrayUnique isIn isEnum isEmail isUrl isFQDN isUUID isInt isNumber isBoolean isString isArray isObject isDate matches nestedValidation whitelistValidation isCalendarDate isIanaZone isCurrencyCode isDecimalAmount isProductSelection isWebhookSecret taken unknownId notAllowed contactAddress contactChannel windowOrder windowOverlap targetOrder noCondition noAction unknownPlaceholder onlyPlaceholders templateSyntax oneLine keepTag afterToday rangeOrder rangeTooLong needsSearch searchWord addAndRemove tooManyTags linkSelf belowRemaining webhookRequired manualNoWebhook sameSecret noTicketWork lastGlobalAdmin mayNotWork deactivated noToken yourself revoked publicOnly webhookTarget'.split(
    ' ',
  );

/** Every code of a problem the API documents (ProblemDto.code). */
const PROBLEM_CODES = 'ticketTransition ticketClosed mergedAlready mergeClosed mergeEscalated mergeTargetMerged mergeTargetClosed mergeSelf mergeOtherCustomer mailNotFailed mailNotUnmatched'.split(' ');

describe('field errors in the reader’s language', () => {
  it('say a length, a choice and a taken value in Spanish and English, naming the field by its label', async () => {
    const [spanish, english] = [await language('es'), await language('en')];
    const name = { field: 'name', message: 'name must be shorter than or equal to 200 characters', code: 'isLength', params: { min: 1, max: 200 } };
    expect(fieldErrorText(spanish, name, 'Nombre')).toBe('«Nombre» debe tener entre 1 y 200 caracteres');
    expect(fieldErrorText(english, name, 'Name')).toBe('“Name” must be 1 to 200 characters long');
    const locale = { field: 'locale', message: 'locale must be one of: es, en', code: 'isIn', params: { values: ['es', 'en'] } };
    expect(fieldErrorText(spanish, locale, 'Idioma del correo')).toBe('«Idioma del correo» debe ser uno de: es, en');
    expect(fieldErrorText(english, { field: 'email', message: 'is already used by another agent', code: 'taken', params: {} })).toBe('“email” is already in use');
  });

  it('say a rule on each item of a list, and a length with one bound as a minimum or a maximum', async () => {
    const spanish = await language('es');
    expect(fieldErrorText(spanish, { field: 'addTags', message: 'each tag must be 1–40 characters', code: 'maxLength', params: { max: 40, each: true } }, 'Etiquetas')).toBe(
      'Cada valor de «Etiquetas» debe tener como máximo 40 caracteres',
    );
    expect(fieldErrorText(spanish, { field: 'q', message: 'q too short', code: 'isLength', params: { min: 2 } })).toBe('«q» debe tener al menos 2 caracteres');
    expect(fieldErrorText(spanish, { field: 'q', message: 'q too long', code: 'isLength', params: { max: 9 } })).toBe('«q» debe tener como máximo 9 caracteres');
  });

  it('keep the API’s words for a code without words of its own, an unknown code, or none', async () => {
    const spanish = await language('es');
    expect(fieldErrorText(spanish, { field: 'to', message: 'must be after from', code: 'invalid', params: {} })).toBe('must be after from');
    expect(fieldErrorText(spanish, { field: 'x', message: 'x is odd', code: 'isOdd', params: {} })).toBe('x is odd');
    expect(fieldErrorText(spanish, { field: 'x', message: 'x is odd' })).toBe('x is odd');
  });

  it('say the rules services check by their codes: a contact address by its channel, placeholders that do not exist, a rule with no condition', async () => {
    const [spanish, english] = [await language('es'), await language('en')];
    const address = { field: 'contactPoints.0.address', message: 'must be an e-mail address for a email contact point', code: 'contactAddress', params: { channel: 'email' } };
    expect(fieldErrorText(spanish, address, 'Dirección')).toBe('«Dirección» debe ser una dirección de correo electrónico para un contacto por correo');
    expect(fieldErrorText(english, { ...address, params: { channel: 'phone' } }, 'Address')).toBe('“Address” must be a phone number in E.164 form, such as +34911234567, for a phone contact');
    expect(fieldErrorText(spanish, { ...address, params: { channel: 'portal' } }, 'Dirección')).toBe('«Dirección» debe ser una URL https para este canal de contacto');
    const placeholders = { field: 'body', message: 'unknown placeholder {{customer.nmae}}; use …', code: 'unknownPlaceholder', params: { placeholders: ['{{customer.nmae}}'], allowed: ['{{customer.name}}', '{{ticket.number}}'] } };
    expect(fieldErrorText(spanish, placeholders, 'Texto')).toBe('«Texto» usa marcadores que no existen ({{customer.nmae}}); use {{customer.name}}, {{ticket.number}}');
    expect(fieldErrorText(spanish, { field: 'conditions', message: 'a rule needs at least one non-empty condition', code: 'noCondition', params: {} }, 'Condiciones')).toBe(
      '«Condiciones»: una regla necesita al menos una condición no vacía',
    );
  });

  it('say why an assignee, an agent, a token, a customer’s message or a webhook URL is refused', async () => {
    const [spanish, english] = [await language('es'), await language('en')];
    const assignee = { field: 'assigneeId', message: 'an agent with the roles sales_agent does not work technical tickets', code: 'mayNotWork', params: { roles: ['sales_agent'], category: 'technical' } };
    expect(fieldErrorText(spanish, assignee, 'Asignado')).toBe('«Asignado»: los roles de ese agente no le permiten atender tickets de esta categoría');
    expect(fieldErrorText(english, { field: 'assigneeId', message: 'the agent is deactivated', code: 'deactivated', params: {} }, 'Assignee')).toBe(
      '“Assignee”: the agent is deactivated; reactivate them first',
    );
    expect(fieldErrorText(spanish, { field: 'tokenId', message: 'is revoked', code: 'revoked', params: {} }, 'Token')).toBe('«Token»: el token está revocado; emita uno nuevo en su lugar');
    // A webhook URL by the kind of address it reaches; a kind without words of its own gets the code's.
    const url = { field: 'webhookUrl', message: 'is refused: the webhook target 10.0.0.1 is a private (RFC 1918) address (…)', code: 'webhookTarget', params: { reason: 'private', host: '10.0.0.1' } };
    expect(fieldErrorText(spanish, url, 'URL')).toBe('«URL» se rechaza: 10.0.0.1 es una dirección de red privada; solo se admiten direcciones públicas salvo con WEBHOOK_ALLOW_PRIVATE=true');
    expect(fieldErrorText(english, { ...url, params: { reason: 'metadata', host: '169.254.169.254' } }, 'URL')).toBe(
      '“URL” is refused: 169.254.169.254 is a cloud metadata address, never a webhook target',
    );
    expect(fieldErrorText(english, { ...url, params: { reason: 'scheme', host: 'vendor.example' } }, 'URL')).toBe('“URL” must be an http or https URL');
    expect(fieldErrorText(spanish, { ...url, params: { reason: 'reserved', host: '192.0.2.10' } }, 'URL')).toBe(
      '«URL» se rechaza: 192.0.2.10 no es una dirección pública (solo se admiten direcciones públicas salvo con WEBHOOK_ALLOW_PRIVATE=true)',
    );
  });

  it('say a problem without fields by its code, its statuses in words, in Spanish and English; without a code, nothing of their own', async () => {
    const [spanish, english] = [await language('es'), await language('en')];
    expect(problemText(spanish, { code: 'ticketTransition', params: { from: 'closed', to: 'in_progress' } })).toBe('Un ticket no puede pasar de «Cerrado» a «En curso»');
    expect(problemText(english, { code: 'ticketTransition', params: { from: 'closed', to: 'in_progress' } })).toBe('A ticket cannot go from “Closed” to “In progress”');
    // Where the ticket can go instead, its statuses in words; a closed ticket goes nowhere.
    const triaged = { code: 'ticketTransition', params: { from: 'in_progress', to: 'new', allowed: ['waiting_on_customer', 'resolved'] } };
    expect(problemText(spanish, triaged)).toBe('Un ticket no puede pasar de «En curso» a «Nuevo»: desde «En curso» solo puede pasar a «Esperando al cliente» o «Resuelto»');
    expect(problemText(english, triaged)).toBe('A ticket cannot go from “In progress” to “New”: from “In progress” it can go to “Waiting on customer” or “Resolved”');
    const closed = { code: 'ticketTransition', params: { from: 'closed', to: 'in_progress', allowed: [] } };
    expect(problemText(spanish, closed)).toBe('Un ticket no puede pasar de «Cerrado» a «En curso»: desde «Cerrado» no puede pasar a ningún otro estado');
    expect(problemText(english, closed)).toBe('A ticket cannot go from “Closed” to “In progress”: from “Closed” it cannot go to any other status');
    expect(problemText(english, { code: 'ticketTransition', params: { from: 'triaged', to: 'resolved', allowed: ['in_progress'] } })).toBe(
      'A ticket cannot go from “Triaged” to “Resolved”: from “Triaged” it can go to “In progress”',
    );
    expect(problemText(spanish, { code: 'mailNotFailed', params: { status: 'sent' } })).toBe('Este correo ya se envió: no se vuelve a enviar');
    expect(problemText(english, { code: 'mailNotFailed', params: { status: 'pending' } })).toBe('This mail is still being sent (pending)');
    expect(problemText(spanish, { code: 'mergeTargetClosed', params: { ticket: 'HD-000042' } })).toBe('HD-000042 está cerrado: fusione con un ticket abierto');
    expect(problemText(spanish, { code: 'mergeTargetMerged', params: { ticket: 'HD-000042', cycle: true } })).toBe('HD-000042 se fusionó con este: fusionarlo de vuelta crearía un ciclo');
    expect(problemText(spanish, {})).toBeUndefined();
    expect(problemText(spanish, { code: 'somethingNew' })).toBeUndefined();
    // A field error whose code is a problem's is said as that problem.
    expect(fieldErrorText(spanish, { field: 'targetId', message: 'HD-000042 is closed; merge into an open ticket', code: 'mergeTargetClosed', params: { ticket: 'HD-000042' } })).toBe(
      'HD-000042 está cerrado: fusione con un ticket abierto',
    );
  });

  it('have words, in both languages, for every code the API documents', async () => {
    for (const lng of ['es', 'en'] as const) {
      const i18n = await language(lng);
      const params = { min: 1, max: 2, values: ['a'], channel: 'email', methods: ['email'], start: '09:00', end: '08:00', other: 'hours.0', placeholders: ['{{x}}'], allowed: ['{{y}}'], tags: ['{{#…}}'], tag: '[#{{ticket.number}}]', today: '2026-12-06', maxDays: 366, total: 21, host: 'h.example', roles: ['sales_agent'] };
      const said = CODES.map((code) => fieldErrorText(i18n, { field: 'f', message: 'ENGLISH', code, params }, 'F'));
      // Template codes print placeholders: only a param's value may hold `{{`.
      expect(said.filter((text) => text === 'ENGLISH' || !text.includes('F') || text.replace(/\{\{[#a-z.…]+\}\}/g, '').includes('{{'))).toEqual([]);
      const problems = PROBLEM_CODES.map((code) => problemText(i18n, { code, params: { from: 'new', to: 'closed', ticket: 'HD-1', status: 'sent', ...(code === 'ticketTransition' ? { allowed: ['triaged'] } : {}) } }));
      expect(problems.filter((text) => text === undefined || text.includes('{{') || text.includes('$t('))).toEqual([]);
    }
  });
});
