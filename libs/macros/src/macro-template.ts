import Mustache from 'mustache';
import { DomainError, FieldErrorCode } from '@helpdesk/http';

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

/** What templateProblem finds wrong. */
export interface TemplateProblem {
  message: string;
  unknown: string[];
  /** For a screen to say in its own words (FieldErrorCode), with its params. */
  code: FieldErrorCode;
  params: Record<string, unknown>;
}

/**
 * What is wrong with a logic-less template, or null when nothing is: it parses as Mustache, holds
 * only text and the `allowed` placeholders, and no sections, partials or other tags. Logic-less
 * Mustache runs no code of its own, and the values it is given are plain strings, so a template can
 * only ever print the placeholders' values. `unknown` lists the unknown placeholders found.
 */
export function templateProblem(text: string, allowed: readonly string[]): TemplateProblem | null {
  let tokens: ReturnType<typeof parse>;
  try {
    tokens = parse(text);
  } catch (error) {
    return { message: `is not a valid template: ${(error as Error).message}`, unknown: [], code: FieldErrorCode.TemplateSyntax, params: {} };
  }
  const unknown = new Set<string>();
  const forbidden = new Set<string>();
  for (const [type, value] of tokens) {
    if (!ALLOWED_TOKENS.has(type)) forbidden.add(type);
    else if (type !== 'text' && !allowed.includes(value)) unknown.add(value);
  }
  if (unknown.size > 0) {
    const placeholders = [...unknown].map((u) => `{{${u}}}`);
    const use = allowed.map((p) => `{{${p}}}`);
    return { message: `unknown placeholder ${placeholders.join(', ')}; use ${use.join(', ')}`, unknown: [...unknown], code: FieldErrorCode.UnknownPlaceholder, params: { placeholders, allowed: use } };
  }
  if (forbidden.size > 0) {
    const words = [...forbidden].map((type) => TOKEN_WORDS[type] ?? type);
    const tags = [...forbidden].map((type) => (type === '=' ? '{{=…=}}' : `{{${type}…}}`));
    return { message: `only placeholders are allowed, not ${words.join(', ')}`, unknown: [], code: FieldErrorCode.OnlyPlaceholders, params: { tags } };
  }
  return null;
}

/** Checks a macro body before it is saved (400 naming `field`): see templateProblem. */
export function checkMacroBody(body: string, field: string): void {
  const problem = templateProblem(body, MACRO_PLACEHOLDERS);
  if (problem) throw DomainError.invalid(field, problem.message, problem.code, problem.params);
}

/** Templates rendered recently, parsed, that the renderer keeps (the oldest one out when more arrive). */
export const RENDERED_TEMPLATES_KEPT = 256;

/**
 * The renderer's Writer: it keeps the parsed tokens of the last RENDERED_TEMPLATES_KEPT templates, so a
 * template rendered for every mail (an acknowledgement's subject and body) is parsed once, not once a
 * mail — and, unlike Mustache's shared writer, does not keep every template it has ever seen.
 */
const renderer = new Mustache.Writer();
const parsedTemplates = new Map<string, unknown>();
// mustache's types leave out the Writer's own cache (mustache.js reads `this.templateCache` in Writer#parse).
(renderer as unknown as { templateCache: { get(key: string): unknown; set(key: string, tokens: unknown): void; clear(): void } }).templateCache = {
  get: (key: string) => parsedTemplates.get(key),
  set: (key: string, tokens: unknown) => {
    if (parsedTemplates.size >= RENDERED_TEMPLATES_KEPT) parsedTemplates.delete(parsedTemplates.keys().next().value!);
    parsedTemplates.set(key, tokens);
  },
  clear: () => parsedTemplates.clear(),
};

/** How many parsed templates the renderer holds now (for tests). */
export const renderedTemplatesKept = (): number => parsedTemplates.size;

/** A checked template with the values (keyed `object.key`) filled in, as plain text (no HTML escaping). */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  const view: Record<string, Record<string, string>> = {};
  for (const [path, value] of Object.entries(values)) {
    const [object, key] = path.split('.');
    (view[object] ??= {})[key] = value;
  }
  return renderer.render(text, view, undefined, { escape: (text: unknown) => String(text) });
}

/** A checked body with the values filled in, as plain text (no HTML escaping: comments are text). */
export function renderMacroBody(body: string, values: MacroValues): string {
  return renderTemplate(body, values);
}
