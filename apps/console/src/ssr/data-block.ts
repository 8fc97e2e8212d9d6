/**
 * The server render's data block (entry-server.tsx): the answers the page was drawn from, as the browser's main.tsx
 * reads them (`{ language, timeZone, queries }`, TanStack Query's dehydrated cache). The api hands the render each
 * answer's parsed body and its JSON text as the route sent it; a query whose data is still that very body goes into
 * the block as the text, not serialised a second time (a 206-entry ticket's conversation is ≈ 120 KiB of it).
 */
import type { DehydratedState } from '@tanstack/react-query';

/** The answers' bodies as the api's routes sent them (JSON text), by the answer's name. */
export type AnswerTexts = Record<string, string | undefined>;

/** Each answer's parsed body → its text (an answer that is null, or has no text, is left out). */
export function textsOf(answers: object, texts: AnswerTexts): Map<unknown, string> {
  const byBody = new Map<unknown, string>();
  for (const [name, body] of Object.entries(answers)) {
    const text = texts[name];
    if (body !== null && typeof body === 'object' && text !== undefined) byBody.set(body, text);
  }
  return byBody;
}

/** Stands for a query's data in the block's skeleton until its answer's text replaces it: unguessable from outside the process. */
const TEXT_MARK = `answer-text-${crypto.randomUUID()}-`;

/**
 * The data block's JSON (not yet escaped for HTML: the api does that): the language, the times' zone and the
 * dehydrated cache, in which a query whose data is (the very object) a body in `texts` is written as that body's
 * text. Parsed, it equals `JSON.parse(JSON.stringify({ language, timeZone, queries }))`. Throws when a mark is
 * not in the skeleton exactly once (a body holding one: the api then sends the plain page).
 */
export function dataBlock(language: string, timeZone: string, queries: DehydratedState, texts: ReadonlyMap<unknown, string>): string {
  const spliced: string[] = [];
  const skeleton = {
    ...queries,
    queries: queries.queries.map((query) => {
      const text = texts.get(query.state.data);
      if (text === undefined) return query;
      spliced.push(text);
      return { ...query, state: { ...query.state, data: `${TEXT_MARK}${spliced.length - 1}` } };
    }),
  };
  const json = JSON.stringify({ language, timeZone, queries: skeleton });
  // Each mark is a whole JSON string of the skeleton's, there exactly once: the answer's text takes its place.
  const at = spliced.map((text, i) => {
    const mark = JSON.stringify(`${TEXT_MARK}${i}`);
    const start = json.indexOf(mark);
    if (start < 0 || json.indexOf(mark, start + 1) >= 0) throw new Error(`The data block's skeleton does not have answer ${i}'s mark once`);
    return { start, end: start + mark.length, text };
  });
  at.sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let from = 0;
  for (const { start, end, text } of at) {
    parts.push(json.slice(from, start), text);
    from = end;
  }
  parts.push(json.slice(from));
  return parts.join('');
}
