import type { FieldError } from '@helpdesk/http';

/** How deep objects and arrays may nest in a JSON body: far more than any DTO needs. */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys that name JavaScript's prototype machinery. No DTO has such a field, so they are refused
 * like any other unknown key — here, before class-transformer or a service could assign them.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** At most this many offending fields are named in one answer. */
const MAX_ERRORS = 20;

const NUL = '\u0000';

/**
 * Whether a JSON text nests objects/arrays deeper than `limit`, found by scanning it without
 * parsing (so without recursion, and before JSON.parse spends seconds on a body of a million `[`).
 * Strings are skipped as a whole: brackets inside them do not count.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  const structural = /[[\]{}"]/g;
  let depth = 0;
  for (let match = structural.exec(text); match !== null; match = structural.exec(text)) {
    const char = match[0];
    if (char === '"') {
      const end = closingQuote(text, match.index);
      if (end < 0) return false; // unterminated: JSON.parse reports the malformed body
      structural.lastIndex = end + 1;
    } else if (char === '{' || char === '[') {
      if (++depth > limit) return true;
    } else {
      depth--;
    }
  }
  return false;
}

/** The index of the quote that closes the string opened at `open` (one not escaped by a backslash), or -1. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/**
 * The one rule every input meets at the edge, whatever the route and DTO: no NUL character in any
 * string or key (PostgreSQL cannot store one in text), no prototype keys, no nesting deeper than
 * MAX_JSON_DEPTH. Walks the value with an explicit stack (never recursion); `prefix` names the
 * root (empty for a body: its fields are named as the validation errors name them).
 */
export function inputProblems(value: unknown, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number; key?: string }> = [{ value, path: prefix, depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { value: current, path, depth, key } = stack.pop()!;
    if (key !== undefined && FORBIDDEN_KEYS.has(key)) {
      errors.push({ field: path, message: `property ${path} should not exist` });
    } else if (key?.includes(NUL)) {
      errors.push({ field: path.replaceAll(NUL, '\\u0000'), message: 'a property name must not contain NUL characters (\\u0000)' });
    } else if (typeof current === 'string') {
      if (current.includes(NUL)) errors.push({ field: path, message: `${path || 'the value'} must not contain NUL characters (\\u0000)` });
    } else if (current !== null && typeof current === 'object') {
      if (depth >= MAX_JSON_DEPTH) {
        errors.push({ field: path, message: `${path || 'the body'} nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels` });
        continue;
      }
      // Pushed last to first, so that the fields are visited (and named) in the order they came.
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ value: (current as Record<string, unknown>)[keys[i]], path: path ? `${path}.${keys[i]}` : keys[i], depth: depth + 1, key: keys[i] });
      }
    }
  }
  return errors;
}
