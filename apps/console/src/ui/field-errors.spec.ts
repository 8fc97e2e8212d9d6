import { describe, expect, it } from '@jest/globals';
import i18next from 'i18next';
import en from '../i18n/en.json';
import es from '../i18n/es.json';
import { fieldErrorText } from './field-errors';

async function language(lng: 'es' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { es: { translation: es }, en: { translation: en } }, fallbackLng: false, interpolation: { escapeValue: false } });
  return i18n;
}

/** Every code the API sends for a field, in its OpenAPI document (FieldErrorDto.code), but `invalid`, which has no words of its own. */
const CODES =
  'isLength minLength maxLength min max arrayMinSize arrayMaxSize arrayUnique isIn isEnum isEmail isUrl isFQDN isUUID isInt isNumber isBoolean isString isArray isObject isDate matches nestedValidation whitelistValidation isCalendarDate isIanaZone isCurrencyCode isDecimalAmount isProductSelection isWebhookSecret taken unknownId notAllowed'.split(
    ' ',
  );

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

  it('have words, in both languages, for every code the API documents', async () => {
    for (const lng of ['es', 'en'] as const) {
      const i18n = await language(lng);
      const said = CODES.map((code) => fieldErrorText(i18n, { field: 'f', message: 'ENGLISH', code, params: { min: 1, max: 2, values: ['a'] } }, 'F'));
      expect(said.filter((text) => text === 'ENGLISH' || !text.includes('F') || text.includes('{{'))).toEqual([]);
    }
  });
});
