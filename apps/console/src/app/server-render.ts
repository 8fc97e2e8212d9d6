/**
 * Whether the page in the document came rendered by the api (the inbox's or a ticket's first screen, see
 * src/ssr/entry-server.tsx) and React is taking it over (`hydrateRoot`): the first render must then
 * draw exactly what the server drew, whatever the window's size. Set by main.tsx, read once by the
 * components whose first render depends on the browser (the ticket list's height).
 */
let hydrating = false;

export function setHydrating(value: boolean): void {
  hydrating = value;
}

export function isHydrating(): boolean {
  return import.meta.env.SSR || hydrating;
}

/** The id of the data block the api puts after `#root`: the answers the server render used. */
export const SERVER_DATA_ID = 'console-data';

/**
 * Marks the moment React has the inbox's rows (drawn by it or taken over from the server's HTML)
 * and answers input on them: `<html data-rows-live>` and a performance mark, which the console
 * bench reads as "hydrated".
 */
export function markRowsLive(): void {
  // The list's first render is over: a later one (another view, back to the inbox) measures the window again.
  hydrating = false;
  if (document.documentElement.hasAttribute('data-rows-live')) return;
  document.documentElement.setAttribute('data-rows-live', '');
  performance.mark('console:rows-live');
}

/**
 * Marks the moment React has a ticket page's header and timeline (drawn by it or taken over from the
 * server's HTML): `<html data-ticket-live>` and a performance mark, which the console bench reads as
 * "hydrated" for the ticket page.
 */
export function markTicketLive(): void {
  // The page's first render is over: a list drawn later (the inbox, after a click) measures its window.
  hydrating = false;
  if (document.documentElement.hasAttribute('data-ticket-live')) return;
  document.documentElement.setAttribute('data-ticket-live', '');
  performance.mark('console:ticket-live');
}
