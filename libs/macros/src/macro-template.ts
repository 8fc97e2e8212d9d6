import Mustache from 'mustache';
import { DomainError } from '@helpdesk/http';

/** The placeholders a macro body may use, and what each is filled with. */
export const MACRO_PLACEHOLDERS = ['customer.name', 'ticket.number', 'agent.name', 'plan.hours'] as const;
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number];
export type MacroValues = Record<MacroPlaceholder, string>;

/** Mustache token kinds a body may hold: text, `{{name}}` and `{{{name}}}` / `{{&name}}` (the same here: bodies are plain text). */
const ALLOWED_TOKENS = new Set(['text', 'name', '&']);
const TOKEN_WORDS: Record<string, string> = { '#': 'sections ({{#…}})', '^': 'inverted sections ({{^…}})', '>': 'partials ({{>…}})', '!': 'comments ({{!…}})', '=': 'delimiter changes ({{=…=}})' };

/**
 * Parses with a Writer of its own each time: Mustache's shared writer caches every template it
 * has seen, for the life of the process.
 */
const parse = (body: string): Array<[string, string, number, number, unknown?]> => new Mustache.Writer().parse(body);

/**
 * Checks a macro body before it is saved (400 naming `field`): it parses as Mustache, holds only
 * text and the known placeholders, and no sections, partials or other tags. Logic-less Mustache
 * runs no code of its own, and the values it is given are plain strings, so a body can only ever
 * print the placeholders' values.
 */
export function checkMacroBody(body: string, field: string): void {
  let tokens: ReturnType<typeof parse>;
  try {
    tokens = parse(body);
  } catch (error) {
    throw DomainError.invalid(field, `is not a valid template: ${(error as Error).message}`);
  }
  const unknown = new Set<string>();
  const forbidden = new Set<string>();
  for (const [type, value] of tokens) {
    if (!ALLOWED_TOKENS.has(type)) forbidden.add(TOKEN_WORDS[type] ?? type);
    else if (type !== 'text' && !(MACRO_PLACEHOLDERS as readonly string[]).includes(value)) unknown.add(value);
  }
  if (unknown.size > 0) {
    throw DomainError.invalid(field, `unknown placeholder ${[...unknown].map((u) => `{{${u}}}`).join(', ')}; use ${MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`);
  }
  if (forbidden.size > 0) throw DomainError.invalid(field, `only placeholders are allowed, not ${[...forbidden].join(', ')}`);
}

/** A checked body with the values filled in, as plain text (no HTML escaping: comments are text). */
export function renderMacroBody(body: string, values: MacroValues): string {
  const view: Record<string, Record<string, string>> = {};
  for (const [path, value] of Object.entries(values)) {
    const [object, key] = path.split('.');
    (view[object] ??= {})[key] = value;
  }
  return new Mustache.Writer().render(body, view, undefined, { escape: (text: unknown) => String(text) });
}
